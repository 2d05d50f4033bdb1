package dev.segments.web;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.segments.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With the store unreachable, requests fail fast with 503 and Retry-After instead of hanging. */
@QuarkusTest
@TestProfile(StoreUnavailableTest.NoStore.class)
class StoreUnavailableTest {

    public static class NoStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Port 9 (discard) on loopback: nothing listens, connections are refused at once.
            return Map.of("quarkus.dynamodb.endpoint-override", "http://127.0.0.1:9", "segments.create-table", "false");
        }
    }

    @Test
    void writesAndReadsAnswer503WithRetryAfter() {
        admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("instructions", List.of(add("u", System.currentTimeMillis() + 60_000))))
                .patch("/api/v2/segments/p/s/expiring-user-targets/e").then()
                .statusCode(503)
                .header("Retry-After", notNullValue())
                .body("code", equalTo("service_unavailable"));
        admin().get("/api/v2/segments/p/e/s").then().statusCode(503).body("code", equalTo("service_unavailable"));
    }

    @Test
    void aTokenThatNeedsTheStoreToBeCheckedAlsoGets503() {
        Api.as("api-11111111-2222-4333-8444-555555555555").get("/api/v2/segments/p/e/s").then().statusCode(503);
    }
}
