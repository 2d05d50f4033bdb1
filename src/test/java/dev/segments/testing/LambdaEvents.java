package dev.segments.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Raw API Gateway (HTTP API, payload v2) events posted to the Lambda event server's
 * {@code /_lambda_}, for what an HTTP client cannot set: the source address, API Gateway's
 * request context, a path exactly as given.
 */
public final class LambdaEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LambdaEvents() {
    }

    /** The event the sweep schedule sends (src/main/resources/sweep-event.json). */
    public static ObjectNode sweep() {
        try (InputStream in = LambdaEvents.class.getResourceAsStream("/sweep-event.json")) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request as API Gateway hands it to the function: with its {@code apiId}, from {@code sourceIp}. */
    public static ObjectNode request(String method, String path, String token, String sourceIp) {
        Map<String, String> headers = new HashMap<>();
        headers.put("authorization", token);
        return requestWithHeaders(method, path, headers, sourceIp);
    }

    /** The same with these headers (names in lower case, as API Gateway passes them; null values left out). */
    public static ObjectNode requestWithHeaders(String method, String path, Map<String, String> headers, String sourceIp) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "ANY /api/v2/{proxy+}");
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        ObjectNode eventHeaders = event.putObject("headers");
        headers.forEach((name, value) -> {
            if (value != null) {
                eventHeaders.put(name, value);
            }
        });
        ObjectNode context = event.putObject("requestContext");
        context.put("apiId", "a1b2c3d4e5");
        context.put("domainName", "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com");
        context.put("requestId", "test-" + System.nanoTime());
        context.put("routeKey", "ANY /api/v2/{proxy+}");
        context.put("stage", "$default");
        context.put("timeEpoch", System.currentTimeMillis());
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", sourceIp);
        http.put("userAgent", "test");
        event.put("isBase64Encoded", false);
        return event;
    }

    /** The event with a JSON body. */
    public static ObjectNode withBody(ObjectNode event, String contentType, String body) {
        ((ObjectNode) event.get("headers")).put("content-type", contentType);
        event.put("body", body);
        return event;
    }

    /** Invokes the function with the event; the answer is API Gateway's response event ({@code statusCode}, {@code headers}, {@code body}). */
    public static JsonPath invoke(ObjectNode event) {
        return JsonPath.from(new String(payload(event), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The response payload exactly as the function returned it to the Lambda runtime, whose size Lambda limits. */
    public static byte[] payload(ObjectNode event) {
        return RestAssured.given().contentType("application/json").body(event.toString()).post("/_lambda_").then()
                .statusCode(200).extract().asByteArray();
    }
}
