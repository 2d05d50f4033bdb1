package dev.segments.web;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.patchExpiring;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers are gzip-compressed for callers that accept it, above {@link GzipResponses#THRESHOLD}
 * bytes, over HTTP through the local Lambda event server (as {@code ./run-local.sh} serves
 * them) and in the raw API Gateway response event (a base64 binary body); for everyone else
 * nothing changes. The JDK's HTTP client is used because it never decompresses by itself.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class GzipResponsesTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static Fixture big;

    /** A segment whose expiring-targets answer is several kilobytes (made once; the app is up only from the first test). */
    @BeforeEach
    void bigSegment() {
        if (big != null) {
            return;
        }
        List<String> users = new ArrayList<>();
        List<Object> schedules = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            users.add("gzip-user-" + i);
            schedules.add(add("gzip-user-" + i, System.currentTimeMillis() + 86_400_000L + i));
        }
        big = segmentWithUsers(users.toArray(String[]::new));
        patchExpiring(big, schedules.toArray()).then().statusCode(200);
    }

    @Test
    void aLargeAnswerIsCompressedForACallerThatAcceptsGzip() throws Exception {
        HttpResponse<byte[]> plain = get(big.expiringPath(), null);
        HttpResponse<byte[]> gzipped = get(big.expiringPath(), "gzip, deflate, br");

        assertEquals(200, gzipped.statusCode());
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(null));
        assertTrue(gzipped.headers().firstValue("Vary").orElse("").contains("Accept-Encoding"));
        assertTrue(gzipped.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals(gzipped.body().length, Long.parseLong(gzipped.headers().firstValue("Content-Length").orElseThrow()));
        assertTrue(plain.body().length >= GzipResponses.THRESHOLD, "the answer should be above the threshold: " + plain.body().length);
        assertTrue(gzipped.body().length < plain.body().length / 3, gzipped.body().length + " bytes of " + plain.body().length);
        assertArrayEquals(plain.body(), gunzip(gzipped.body()));
        assertEquals(3, gzipped.body()[9], "the list's own gzip form (GzipItems' header: OS Unix), not compressed again");
    }

    /** Another large answer (the OpenAPI document) is compressed here, as it always was: GZIPOutputStream's header (OS 255). */
    @Test
    void anAnswerWithoutAGzipFormOfItsOwnIsCompressedAsBefore() throws Exception {
        HttpResponse<byte[]> plain = get("/api/v2/openapi.json", null);
        HttpResponse<byte[]> gzipped = get("/api/v2/openapi.json", "gzip");
        assertTrue(plain.body().length >= GzipResponses.THRESHOLD, "the answer should be above the threshold: " + plain.body().length);
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals((byte) 0xff, gzipped.body()[9]);
        assertEquals(JSON.readTree(plain.body()), JSON.readTree(gunzip(gzipped.body())));
    }

    /** A PATCH's answer in its gzip form: the schedules after it, as a GET then shows them, and how the instructions went. */
    @Test
    void aPatchAnswerIsCompressedFromItsOwnGzipForm() throws Exception {
        long date = System.currentTimeMillis() + 2 * 86_400_000L;
        String body = "{\"instructions\":[{\"kind\":\"removeExpireUserTargetDate\",\"targetType\":\"included\",\"userKey\":\"gzip-user-3\"},"
                + "{\"kind\":\"addExpireUserTargetDate\",\"targetType\":\"included\",\"userKey\":\"gzip-user-3\",\"value\":" + date + "}]}";
        HttpResponse<byte[]> patched = HTTP.send(HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + big.expiringPath()))
                .header("Authorization", Api.ADMIN).header("Accept-Encoding", "gzip")
                .header("Content-Type", "application/json; domain-model=launchdarkly.semanticpatch")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, patched.statusCode(), new String(patched.body(), StandardCharsets.ISO_8859_1));
        assertEquals("gzip", patched.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals(3, patched.body()[9]);
        JsonNode answer = JSON.readTree(gunzip(patched.body()));
        assertEquals(0, answer.get("failedInstructions").asInt(), answer.toString());
        assertEquals(JSON.readTree(get(big.expiringPath(), null).body()).get("items"), answer.get("items"));
    }

    /** An answer's own gzip form replaces the compression; a small answer, or a body set anew, does not use it. */
    @Test
    void anAnswersOwnGzipFormIsTakenAsItIs() throws Exception {
        byte[] plain = "[\"x\"]".repeat(400).getBytes(StandardCharsets.UTF_8);
        byte[] own = {1, 2, 3};
        APIGatewayV2HTTPResponse own3 = GzipResponses.compress(answer(plain, () -> own));
        assertArrayEquals(own, Base64.getDecoder().decode(own3.getBody()));
        assertTrue(own3.getIsBase64Encoded());
        assertEquals("3", own3.getHeaders().get("Content-Length"));

        byte[] small = "[]".getBytes(StandardCharsets.UTF_8);
        APIGatewayV2HTTPResponse asItIs = GzipResponses.compress(answer(small, () -> {
            throw new AssertionError("a small answer goes out as it is");
        }));
        assertEquals("[]", asItIs.getBody());

        BytesBodyResponse replaced = answer(plain, () -> own);
        String anew = "[\"y\"]".repeat(400);
        replaced.setBody(anew);
        assertEquals(anew, replaced.getBody());
        APIGatewayV2HTTPResponse compressed = GzipResponses.compress(replaced);
        assertArrayEquals(anew.getBytes(StandardCharsets.UTF_8), gunzip(Base64.getDecoder().decode(compressed.getBody())),
                "compressed here, not the replaced body's gzip form");
    }

    private static BytesBodyResponse answer(byte[] body, Supplier<byte[]> gzip) {
        APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
        response.setStatusCode(200);
        response.setHeaders(new HashMap<>(Map.of("Content-Type", "application/json")));
        return new BytesBodyResponse(response, new JsonAnswer(Unpooled.wrappedBuffer(body), List.of(), gzip));
    }

    @Test
    void withoutAcceptEncodingNothingChanges() throws Exception {
        HttpResponse<byte[]> plain = get(big.expiringPath(), null);
        assertEquals(200, plain.statusCode());
        assertFalse(plain.headers().firstValue("Content-Encoding").isPresent());
        assertFalse(plain.headers().firstValue("Vary").isPresent());
        assertEquals(40, JSON.readTree(plain.body()).get("items").size());
        assertEquals(plain.body().length, Long.parseLong(plain.headers().firstValue("Content-Length").orElseThrow()));
    }

    @Test
    void gzipRefusedByWeightOrNotOfferedIsNotUsed() throws Exception {
        for (String refusal : List.of("gzip;q=0", "identity", "br, deflate", "*;q=0", "gzip;q=0, *")) {
            HttpResponse<byte[]> response = get(big.expiringPath(), refusal);
            assertFalse(response.headers().firstValue("Content-Encoding").isPresent(), refusal);
            assertEquals(40, JSON.readTree(response.body()).get("items").size(), refusal);
        }
        for (String acceptance : List.of("*", "GZIP;q=0.5", "deflate;q=1, x-gzip;q=0.1")) {
            HttpResponse<byte[]> response = get(big.expiringPath(), acceptance);
            assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElse(null), acceptance);
        }
    }

    @Test
    void aSmallAnswerGoesOutAsItIs() throws Exception {
        Fixture small = segmentWithUsers("only");
        HttpResponse<byte[]> response = get(small.expiringPath(), "gzip");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().length < GzipResponses.THRESHOLD);
        assertFalse(response.headers().firstValue("Content-Encoding").isPresent());
        assertEquals(0, JSON.readTree(response.body()).get("items").size());

        HttpResponse<byte[]> error = get("/api/v2/segments/" + small.project() + "/missing/expiring-user-targets/production", "gzip");
        assertEquals(404, error.statusCode());
        assertFalse(error.headers().firstValue("Content-Encoding").isPresent());
        assertEquals("not_found", JSON.readTree(error.body()).get("code").asText());
    }

    /**
     * The API Gateway response event itself, posted raw to the event server: the body is the
     * gzip stream in base64 with isBase64Encoded, so API Gateway sends it on as binary.
     */
    @Test
    void theResponseEventCarriesABase64BinaryBody() throws Exception {
        JsonNode gzipped = invoke(big.expiringPath(), "gzip");
        assertEquals(200, gzipped.get("statusCode").asInt());
        assertTrue(gzipped.get("isBase64Encoded").asBoolean(), gzipped.toString());
        assertEquals("gzip", header(gzipped, "content-encoding"));
        assertTrue(header(gzipped, "content-type").startsWith("application/json"));
        byte[] body = gunzip(Base64.getDecoder().decode(gzipped.get("body").asText()));
        assertEquals(40, JSON.readTree(body).get("items").size());

        JsonNode plain = invoke(big.expiringPath(), null);
        assertFalse(plain.path("isBase64Encoded").asBoolean());
        assertNull(header(plain, "content-encoding"));
        assertArrayEquals(body, plain.get("body").asText().getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<byte[]> get(String path, String acceptEncoding) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
                .header("Authorization", Api.ADMIN);
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** One API Gateway (HTTP API, payload v2) event straight to the function; its raw response event. */
    private static JsonNode invoke(String path, String acceptEncoding) throws IOException, InterruptedException {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0").put("routeKey", "$default").put("rawPath", path).put("rawQueryString", "");
        ObjectNode headers = event.putObject("headers").put("authorization", Api.ADMIN);
        if (acceptEncoding != null) {
            headers.put("accept-encoding", acceptEncoding);
        }
        ObjectNode context = event.putObject("requestContext").put("requestId", "gzip-test").put("stage", "$default");
        context.putObject("http").put("method", "GET").put("path", path).put("protocol", "HTTP/1.1").put("sourceIp", "127.0.0.1");
        event.put("isBase64Encoded", false);
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/_lambda_"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(event))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        return JSON.readTree(response.body());
    }

    private static String header(JsonNode event, String name) {
        var names = event.path("headers").fieldNames();
        while (names.hasNext()) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase(name)) {
                return event.get("headers").get(candidate).asText();
            }
        }
        return null;
    }

    static byte[] gunzip(byte[] gzipped) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
    }
}
