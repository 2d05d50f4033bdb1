package dev.segments.expiry;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.testing.Api;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sweep route takes no token, so only the schedule's event may reach it: not a request
 * through API Gateway (whose events carry {@code requestContext.apiId}), and not a path that
 * climbs out of {@code /api/v2/} with dot segments, encoded or not.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class SweepRouteTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode sweepEvent() throws IOException {
        try (InputStream in = SweepRouteTest.class.getResourceAsStream("/sweep-event.json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    /** Posts a raw API Gateway v2 event to the Lambda event server, as the Lambda service would hand it over. */
    static JsonPath invoke(ObjectNode event) {
        return RestAssured.given().contentType("application/json").body(event.toString()).post("/_lambda_").then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void theSchedulesEventSweeps() throws IOException {
        JsonPath answer = invoke(sweepEvent());
        assertEquals(200, answer.getInt("statusCode"), answer.prettify());
    }

    @Test
    void aRequestThroughApiGatewayCannotReachTheSweep() throws IOException {
        ObjectNode event = sweepEvent();
        ((ObjectNode) event.get("requestContext")).put("apiId", "a1b2c3d4e5");
        ((ObjectNode) event.get("requestContext")).put("domainName", "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com");
        JsonPath answer = invoke(event);
        assertEquals(404, answer.getInt("statusCode"), answer.prettify());
    }

    @Test
    void dotSegmentsCannotClimbOutOfTheApi() throws IOException {
        for (String path : List.of("/api/v2/%2e%2e/%2e%2e/internal/sweep", "/api/v2/%2E%2E/%2E%2E/internal/sweep",
                "/api/v2/.%2e/%2e./internal/sweep", "/api/v2/../../internal/sweep", "/api/v2/segments/%2e/p/e")) {
            // Sent as it is: the client must not normalise the path, as a hostile client would not.
            RestAssured.given().urlEncodingEnabled(false).header("Authorization", Api.ADMIN).post(path).then()
                    .statusCode(400).body("code", equalTo("invalid_request"));
            ObjectNode event = sweepEvent();
            event.put("rawPath", path);
            ((ObjectNode) event.get("requestContext")).put("apiId", "a1b2c3d4e5");
            ((ObjectNode) event.get("requestContext").get("http")).put("path", path);
            JsonPath answer = invoke(event);
            assertEquals(400, answer.getInt("statusCode"), path + ": " + answer.prettify());
        }
    }
}
