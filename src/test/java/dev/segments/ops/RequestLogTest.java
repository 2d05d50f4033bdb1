package dev.segments.ops;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.as;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import dev.segments.testing.ServiceLines;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every request leaves exactly one JSON line (an EMF document, nothing else on the line) in the log, with
 * its route template, status, latency, instruction counts and the version it wrote, and
 * never the token; each sweep leaves one line with its expiries and lag.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class RequestLogTest {

    @Test
    void oneJsonLinePerRequestWithItsFiguresAndNoSecret() throws Exception {
        Fixture f = segmentWithUsers("u1", "u2");
        String writer = admin().contentType(ContentType.JSON).body(Map.of("name", "log-writer", "role", "writer"))
                .post("/api/v2/tokens").then().statusCode(201).extract().path("token");
        long start = ServiceLines.end();

        long due = System.currentTimeMillis() + 86_400_000L;
        as(writer).contentType(Api.SEMANTIC_PATCH)
                .body(Map.of("instructions", List.of(add("u1", due), add("u2", due), add("not-there", due))))
                .patch(f.expiringPath()).then().statusCode(200);
        as(writer).get(f.segmentPath()).then().statusCode(200);
        as("api-00000000-0000-4000-8000-00000000dead").get(f.segmentPath()).then().statusCode(401);
        as(writer).get("/api/v2/segments/" + f.project() + "/" + f.environment() + "/missing").then().statusCode(404);
        as(writer).get("/api/v2/no-such-route").then().statusCode(404);

        List<JsonNode> lines = requestLines(start);
        assertEquals(5, lines.size(), "one line per request: " + lines);

        JsonNode patch = lines.get(0);
        assertEquals("PATCH /api/v2/segments/{projectKey}/{segmentKey}/expiring-user-targets/{environmentKey}", patch.get("route").asText());
        assertEquals(200, patch.get("status").asInt());
        assertEquals(3, patch.get("instructions").asInt());
        assertEquals(1, patch.get("failedInstructions").asInt());
        assertEquals(Api.version(f), patch.get("segmentVersion").asLong());
        assertTrue(patch.get("latencyMs").asDouble() > 0);
        // The token lookup and the conditional write: the segment kept from its last write, its audit entries held in the head.
        assertTrue(patch.get("DynamoDbRequests").asInt() >= 2, "token lookup, write: " + patch);
        JsonNode emf = patch.get("_aws").get("CloudWatchMetrics").get(0);
        assertEquals("SegmentTargets", emf.get("Namespace").asText());
        assertEquals("[[\"Route\",\"Status\"]]", emf.get("Dimensions").toString());
        List<String> metrics = new ArrayList<>();
        emf.get("Metrics").forEach(m -> metrics.add(m.get("Name").asText()));
        assertTrue(metrics.containsAll(List.of("Requests", "Latency", "FailedInstructions", "WriteRetries", "WriteConflicts",
                "DynamoDbLatency")), metrics.toString());
        assertEquals("200", patch.get("Status").asText());

        assertEquals("GET /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey}", lines.get(1).get("route").asText());
        assertFalse(lines.get(1).has("segmentVersion"), "a read writes no version");
        assertEquals(401, lines.get(2).get("status").asInt());
        assertEquals(404, lines.get(3).get("status").asInt());
        assertEquals("GET unmatched", lines.get(4).get("route").asText());
        assertEquals(404, lines.get(4).get("status").asInt());

        String written = ServiceLines.textSince(start);
        assertFalse(written.contains(writer), "the token is in the log");
        assertFalse(written.contains("00000000dead"), "the rejected token is in the log");
        assertFalse(written.toLowerCase().contains("authorization"), "the header is in the log");
    }

    @Test
    void eachSweepLeavesOneLineWithExpiriesAndLag() throws Exception {
        Fixture f = segmentWithUsers("gone");
        long start = ServiceLines.end();
        Api.patchExpiring(f, add("gone", System.currentTimeMillis() + 500)).then().statusCode(200);
        JsonNode carried = null;
        for (int i = 0; i < 100 && carried == null; i++) {
            Thread.sleep(100);
            carried = ServiceLines.since(start, "sweep").stream().filter(l -> l.get("expiries").asInt() > 0).findFirst().orElse(null);
        }
        assertTrue(carried != null, "no sweep line with the expiry");
        assertTrue(carried.get("maxLagMs").asLong() >= 0);
        assertEquals(carried.get("expiries").asInt(), carried.get("ExpiriesCarriedOut").asInt());
        assertEquals("sweep", carried.get("Operation").asText());
    }

    static List<JsonNode> requestLines(long from) throws IOException {
        return ServiceLines.since(from, "request");
    }
}
