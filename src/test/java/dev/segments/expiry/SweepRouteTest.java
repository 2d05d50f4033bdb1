package dev.segments.expiry;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.testing.Api;
import dev.segments.testing.Dynalite;
import dev.segments.testing.LambdaEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
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

    @Test
    void theSchedulesEventSweeps() {
        JsonPath answer = LambdaEvents.invoke(LambdaEvents.sweep());
        assertEquals(200, answer.getInt("statusCode"), answer.prettify());
    }

    @Test
    void aRequestThroughApiGatewayCannotReachTheSweep() {
        JsonPath answer = LambdaEvents.invoke(LambdaEvents.request("POST", "/internal/sweep", null, "203.0.113.9"));
        assertEquals(404, answer.getInt("statusCode"), answer.prettify());
    }

    @Test
    void dotSegmentsCannotClimbOutOfTheApi() {
        for (String path : List.of("/api/v2/%2e%2e/%2e%2e/internal/sweep", "/api/v2/%2E%2E/%2E%2E/internal/sweep",
                "/api/v2/.%2e/%2e./internal/sweep", "/api/v2/../../internal/sweep", "/api/v2/segments/%2e/p/e")) {
            // Sent as it is: the client must not normalise the path, as a hostile client would not.
            RestAssured.given().urlEncodingEnabled(false).header("Authorization", Api.ADMIN).post(path).then()
                    .statusCode(400).body("code", equalTo("invalid_request"));
            ObjectNode event = LambdaEvents.request("POST", path, Api.ADMIN, "203.0.113.9");
            JsonPath answer = LambdaEvents.invoke(event);
            assertEquals(400, answer.getInt("statusCode"), path + ": " + answer.prettify());
        }
    }
}
