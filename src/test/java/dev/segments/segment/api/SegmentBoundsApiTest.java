package dev.segments.segment.api;

import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.segmentWithUsers;
import static dev.segments.testing.Api.version;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import dev.segments.testing.LambdaEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A segment's bounds, through the Lambda path: the most targets a segment may hold, and the
 * worst segment there is for answer size (the longest project, environment and segment keys,
 * every target key 512 bytes of control characters, each scheduled) answered in payloads
 * Lambda returns, also when a PATCH fails every one of its 250 instructions.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class SegmentBoundsApiTest {

    /** Lambda refuses a response payload over this many bytes. */
    static final int LAMBDA_LIMIT = 6_291_556;
    static final ObjectMapper JSON = new ObjectMapper();
    static final long FUTURE = System.currentTimeMillis() + 86_400_000L;

    record Answer(int status, JsonNode body, int bytes) {
    }

    /** One request as an API Gateway event; its response payload, which must be one Lambda can return. */
    static Answer call(String method, String path, String contentType, Object body) throws IOException {
        var event = LambdaEvents.request(method, path, Api.ADMIN, "192.0.2.1");
        if (body != null) {
            LambdaEvents.withBody(event, contentType, JSON.writeValueAsString(body));
        }
        byte[] payload = LambdaEvents.payload(event);
        assertTrue(payload.length <= LAMBDA_LIMIT, method + " " + path.substring(0, 40) + "...: a payload of " + payload.length + " bytes");
        JsonNode response = JSON.readTree(payload);
        return new Answer(response.get("statusCode").asInt(), JSON.readTree(response.get("body").asText()), payload.length);
    }

    static Map<String, Object> segmentPatch(Fixture f, Object... instructions) {
        return Map.of("environmentKey", f.environment(), "instructions", List.of(instructions));
    }

    /** 512 UTF-8 bytes that grow the most in an answer: control characters, written as \u0001 and escaped again. */
    static String worstKey(int i) {
        String unique = Integer.toString(i);
        return unique + "\u0001".repeat(512 - unique.length());
    }

    @Test
    void aSegmentHoldsAtMost15000TargetsAndARefusedPatchChangesNothing() throws IOException {
        Fixture f = segmentWithUsers();
        List<String> users = IntStream.range(0, 10_000).mapToObj(i -> "user-" + i).toList();
        List<String> orgs = IntStream.range(0, 5_000).mapToObj(i -> "org-" + i).toList();
        assertEquals(200, call("PATCH", f.segmentPath(), Api.SEMANTIC_PATCH, segmentPatch(f,
                Map.of("kind", "addIncludedUsers", "values", users),
                Map.of("kind", "addExcludedTargets", "contextKind", "org", "values", orgs))).status());
        long version = version(f);
        admin().contentType(Api.SEMANTIC_PATCH).body(segmentPatch(f, Map.of("kind", "updateName", "value", "Renamed"),
                        Map.of("kind", "addIncludedUsers", "values", List.of("user-1", "one-too-many"))))
                .patch(f.segmentPath()).then().statusCode(400).body("code", equalTo("invalid_request"))
                .body("message", containsString("Instruction 1")).body("message", containsString("15,000"));
        admin().get(f.segmentPath()).then().statusCode(200).body("version", equalTo((int) version)).body("name", equalTo("Segment"));
    }

    @Test
    void theWorstSegmentsAnswersStayUnderLambdasLimit() throws IOException {
        String project = Api.unique("p");
        project = project + "p".repeat(256 - project.length());
        Fixture f = new Fixture(project, "e".repeat(256), "s".repeat(256));
        admin().contentType(ContentType.JSON).body(Map.of("key", f.project(), "name", "P", "environments",
                List.of(Map.of("key", f.environment(), "name", "E", "color", "417505")))).post("/api/v2/projects").then().statusCode(201);
        admin().contentType(ContentType.JSON).body(Map.of("key", f.segment(), "name", "S"))
                .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(201);

        List<String> users = IntStream.range(0, 1_400).mapToObj(SegmentBoundsApiTest::worstKey).toList();
        for (int from = 0; from < users.size(); from += 300) {
            Answer added = call("PATCH", f.segmentPath(), Api.SEMANTIC_PATCH, segmentPatch(f, Map.of("kind", "addIncludedUsers",
                    "values", users.subList(from, Math.min(users.size(), from + 300)))));
            assertEquals(200, added.status(), added.body().toString());
        }
        int scheduled = 0;
        String refusal = null;
        for (int from = 0; from < users.size() && refusal == null; from += 250) {
            List<Map<String, Object>> adds = new ArrayList<>();
            users.subList(from, Math.min(users.size(), from + 250)).forEach(u -> adds.add(Api.add(u, FUTURE)));
            Answer answer = call("PATCH", f.expiringPath(), Api.SEMANTIC_PATCH, Map.of("instructions", adds));
            assertEquals(200, answer.status());
            scheduled = answer.body().get("items").size();
            if (!answer.body().get("errors").isEmpty()) {
                refusal = answer.body().get("errors").get(0).get("message").asText();
            }
        }
        assertTrue(refusal != null && refusal.contains("bytes"), "scheduling stops at the answer bound: " + refusal);

        Answer segment = call("GET", f.segmentPath(), null, null);
        Answer userTargets = call("GET", f.expiringPath(), null, null);
        Answer targets = call("GET", f.expiringPath().replace("expiring-user-targets", "expiring-targets"), null, null);
        Answer list = call("GET", "/api/v2/segments/" + f.project() + "/" + f.environment(), null, null);
        List<Map<String, Object>> failing = new ArrayList<>();
        IntStream.range(0, 250).forEach(i -> failing.add(Api.add(worstKey(100_000 + i), FUTURE)));
        Answer failed = call("PATCH", f.expiringPath(), Api.SEMANTIC_PATCH, Map.of("instructions", failing));
        assertEquals(250, failed.body().get("failedInstructions").asInt());
        assertEquals(scheduled, failed.body().get("items").size());
        assertEquals(1_400, segment.body().get("included").size());
        assertTrue(targets.bytes() > 4_500_000, "the answer bound, not something else, stopped the schedules: " + targets.bytes());
        System.out.printf("Worst segment: %d users, %d scheduled; payloads: segment %,d, expiring user targets %,d, expiring targets %,d,"
                + " list %,d, PATCH with 250 failures %,d bytes (Lambda's limit %,d)%n", users.size(), scheduled, segment.bytes(),
                userTargets.bytes(), targets.bytes(), list.bytes(), failed.bytes(), LAMBDA_LIMIT);
    }
}
