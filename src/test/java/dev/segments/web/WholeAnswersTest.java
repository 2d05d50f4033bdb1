package dev.segments.web;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Expiring-targets answers reach the response event whole through the invocation's slot
 * ({@link WholeAnswers}), byte for byte, whatever characters the keys hold, and a caller that
 * sends the slot's header itself cannot redirect an answer: it gets the same answer as anyone.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class WholeAnswersTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void answersArriveWholeAndASlotSentByTheCallerChangesNothing() throws Exception {
        List<String> users = new ArrayList<>();
        List<Object> schedules = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String user = "ü-ключ-😀-\"" + i;
            users.add(user);
            schedules.add(add(user, System.currentTimeMillis() + 86_400_000L + i));
        }
        // Sent as UTF-8 by the JDK's client (RestAssured would encode the semantic-patch media type as ISO-8859-1).
        Fixture f = segmentWithUsers();
        assertEquals(200, patch(f.segmentPath(), JSON.writeValueAsString(Map.of("environmentKey", f.environment(),
                "instructions", List.of(Map.of("kind", "addIncludedUsers", "values", users))))).statusCode());
        assertEquals(200, patch(f.expiringPath(), JSON.writeValueAsString(Map.of("instructions", schedules))).statusCode());

        HttpResponse<byte[]> plain = get(f.expiringPath(), null);
        HttpResponse<byte[]> forged = get(f.expiringPath(), "forged-slot");
        assertEquals(200, plain.statusCode());
        assertEquals(plain.body().length, Long.parseLong(plain.headers().firstValue("Content-Length").orElseThrow()));
        JsonNode answer = JSON.readTree(plain.body());
        assertEquals(30, answer.get("items").size());
        assertEquals(users.get(0), answer.get("items").get(0).get("userKey").asText());
        assertEquals(new String(plain.body(), java.nio.charset.StandardCharsets.UTF_8),
                new String(forged.body(), java.nio.charset.StandardCharsets.UTF_8));

        HttpResponse<String> patched = patch(f.expiringPath(), "{\"instructions\":[{\"kind\":\"removeExpireUserTargetDate\","
                + "\"targetType\":\"included\",\"userKey\":" + JSON.writeValueAsString(users.get(0)) + "}]}");
        assertEquals(200, patched.statusCode());
        assertEquals(29, JSON.readTree(patched.body()).get("items").size());
        assertEquals(1, JSON.readTree(patched.body()).get("successfulInstructions").asInt());
    }

    /** A semantic patch sent with a slot header of the caller's own. */
    private static HttpResponse<String> patch(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", Api.ADMIN).header(WholeAnswers.SLOT, "forged-slot")
                .header("Content-Type", Api.SEMANTIC_PATCH).method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> get(String path, String slot) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", Api.ADMIN).GET();
        if (slot != null) {
            request.header(WholeAnswers.SLOT, slot);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static URI uri(String path) {
        return URI.create(RestAssured.baseURI + ":" + RestAssured.port + path);
    }
}
