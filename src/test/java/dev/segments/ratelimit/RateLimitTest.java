package dev.segments.ratelimit;

import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.as;
import static dev.segments.testing.Api.segmentWithUsers;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import dev.segments.testing.LambdaEvents;
import dev.segments.web.AppClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Per token and route, shared through the table: over the limit is 429 with LaunchDarkly's headers. */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
@TestProfile(RateLimitTest.FivePerMinute.class)
class RateLimitTest {

    public static class FivePerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segments.rate-limit.per-minute", "5", "segments.rate-limit.auth-failures-per-minute", "3",
                    "segments.sweeper.interval", "0s");
        }
    }

    @Inject
    AppClock clock;

    @AfterEach
    void realTime() {
        clock.use(Clock.systemUTC());
    }

    @Test
    void overTheLimitIs429PerTokenAndRoute() {
        long start = 1_900_000_000_000L - 1_900_000_000_000L % 60_000 + 10_000;
        clock.use(Clock.fixed(Instant.ofEpochMilli(start), ZoneOffset.UTC));
        Fixture f = segmentWithUsers("u");
        String token = admin().contentType(ContentType.JSON).body(Map.of("name", "limited", "role", "reader"))
                .post("/api/v2/tokens").then().statusCode(201).extract().path("token");
        for (int i = 4; i >= 0; i--) {
            as(token).get(f.segmentPath()).then().statusCode(200)
                    .header("X-Ratelimit-Route-Remaining", String.valueOf(i))
                    .header("X-Ratelimit-Reset", String.valueOf(start - 10_000 + 60_000));
        }
        as(token).get(f.segmentPath()).then().statusCode(429)
                .body("code", equalTo("rate_limited"))
                .header("X-Ratelimit-Route-Remaining", "0")
                .header("X-Ratelimit-Reset", String.valueOf(start - 10_000 + 60_000))
                .header("Retry-After", "50");
        // Another route, and another token on the same route, have their own counts.
        as(token).get(f.expiringPath()).then().statusCode(200).header("X-Ratelimit-Route-Remaining", "4");
        String other = admin().contentType(ContentType.JSON).body(Map.of("name", "other", "role", "reader"))
                .post("/api/v2/tokens").then().statusCode(201).extract().path("token");
        as(other).get(f.segmentPath()).then().statusCode(200).header("X-Ratelimit-Route-Remaining", notNullValue());
        // The next window starts afresh.
        clock.use(Clock.fixed(Instant.ofEpochMilli(start + 60_000), ZoneOffset.UTC));
        as(token).get(f.segmentPath()).then().statusCode(200).header("X-Ratelimit-Route-Remaining", "4");
    }

    static int status(String method, String path, String token, String address) {
        JsonPath answer = LambdaEvents.invoke(LambdaEvents.request(method, path, token, address));
        return answer.getInt("statusCode");
    }

    /**
     * 401 and 403 answers count per source address: over the limit, the address gets 429 for
     * the rest of the window, even with a valid token, without the token lookup each failure costs.
     */
    @Test
    void failedAuthenticationsAreLimitedPerSourceAddress() {
        long start = 1_900_000_000_000L - 1_900_000_000_000L % 60_000 + 120_000 + 10_000;
        clock.use(Clock.fixed(Instant.ofEpochMilli(start), ZoneOffset.UTC));
        Fixture f = segmentWithUsers("u");
        String reader = admin().contentType(ContentType.JSON).body(Map.of("name", "prober", "role", "reader"))
                .post("/api/v2/tokens").then().statusCode(201).extract().path("token");
        String unknown = "api-0badc0de-0000-4000-8000-00000000beef";
        String attacker = "198.51.100.7";
        assertEquals(401, status("GET", f.segmentPath(), unknown, attacker));
        assertEquals(401, status("GET", f.segmentPath(), null, attacker));
        assertEquals(403, status("DELETE", f.segmentPath(), reader, attacker));
        JsonPath refused = LambdaEvents.invoke(LambdaEvents.request("GET", f.segmentPath(), unknown, attacker));
        assertEquals(429, refused.getInt("statusCode"));
        assertEquals("50", refused.getString("headers.Retry-After"));
        assertEquals(429, status("GET", f.segmentPath(), Api.ADMIN, attacker), "the address is blocked for the window");
        // Another address is not affected, and successes never count.
        String neighbour = "198.51.100.8";
        for (int i = 0; i < 4; i++) {
            assertEquals(200, status("GET", f.expiringPath(), reader, neighbour));
        }
        assertEquals(401, status("GET", f.segmentPath(), unknown, neighbour));
        // The next window starts afresh.
        clock.use(Clock.fixed(Instant.ofEpochMilli(start + 60_000), ZoneOffset.UTC));
        assertEquals(200, status("GET", f.segmentPath(), Api.ADMIN, attacker));
    }

    @Test
    void theOpenApiDocumentNeedsNoTokenAndIsNotCounted() {
        // Served outside the Authentication filter, so the limiter never sees it; fetched without the Contract filter.
        for (int i = 0; i < 7; i++) {
            given().get("/api/v2/openapi.json").then().statusCode(200)
                    .header("X-Ratelimit-Route-Remaining", nullValue());
        }
    }
}
