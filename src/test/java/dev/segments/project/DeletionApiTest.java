package dev.segments.project;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.patchExpiring;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deleting an environment or a project, seen through the API: everything in it answers 404 at
 * once, a re-created key starts clean, and once the cleanup (run by the sweep) has been through,
 * the audit log holds each segment's deletion by whoever deleted the environment.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class DeletionApiTest {

    static final long FUTURE = System.currentTimeMillis() + 86_400_000L;

    static String environmentPath(Fixture f) {
        return "/api/v2/projects/" + f.project() + "/environments/" + f.environment();
    }

    static void createEnvironment(Fixture f) {
        admin().contentType(ContentType.JSON).body(Map.of("key", f.environment(), "name", "Again", "color", "000000"))
                .post("/api/v2/projects/" + f.project() + "/environments").then().statusCode(201);
    }

    static void createSegment(Fixture f) {
        admin().contentType(ContentType.JSON).body(Map.of("key", f.segment(), "name", "Again"))
                .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(201)
                .body("included", empty()).body("version", equalTo(1));
    }

    /** The segment's audit log, newest first, once it holds its deletion: the sweep's cleanup writes it within seconds. */
    static List<Map<String, Object>> deletedLog(Fixture f) throws InterruptedException {
        String spec = "proj/" + f.project() + ":env/" + f.environment() + ":segment/" + f.segment();
        for (int i = 0; i < 300; i++) {
            List<Map<String, Object>> entries = admin().queryParam("spec", spec).queryParam("limit", "20").get("/api/v2/auditlog")
                    .then().statusCode(200).extract().jsonPath().getList("items");
            if (entries.stream().anyMatch(DeletionApiTest::isDeletion)) {
                return entries;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the cleanup did not delete " + spec + " within 30 s");
    }

    static boolean isDeletion(Map<String, Object> entry) {
        return entry.get("titleVerb").equals("deleted the segment");
    }

    @Test
    void deletingAnEnvironmentHidesItsSegmentsAtOnce() {
        Fixture f = segmentWithUsers("u1");
        patchExpiring(f, add("u1", FUTURE)).then().statusCode(200);
        admin().delete(environmentPath(f)).then().statusCode(204);

        admin().get(environmentPath(f)).then().statusCode(404);
        admin().get(f.segmentPath()).then().statusCode(404).body("message", containsString("Environment \"" + f.environment() + "\""));
        admin().get(f.expiringPath()).then().statusCode(404);
        admin().get("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(404);
        patchExpiring(f, add("u1", FUTURE + 1)).then().statusCode(404);
        admin().delete(f.segmentPath()).then().statusCode(404);
        admin().delete(environmentPath(f)).then().statusCode(404);
        admin().get("/api/v2/projects/" + f.project()).then().statusCode(200).body("environments.items", empty());
    }

    @Test
    void aReCreatedEnvironmentStartsCleanBeforeAndAfterTheCleanup() throws InterruptedException {
        Fixture f = segmentWithUsers("u1");
        patchExpiring(f, add("u1", FUTURE)).then().statusCode(200);
        admin().delete(environmentPath(f)).then().statusCode(204);
        createEnvironment(f);

        admin().get(f.segmentPath()).then().statusCode(404).body("message", containsString("Segment"));
        admin().get("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(200).body("items", empty());
        createSegment(f);
        admin().get(f.expiringPath()).then().statusCode(200).body("items", empty());
        admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(), "instructions",
                List.of(Map.of("kind", "addIncludedUsers", "values", List.of("u2"))))).patch(f.segmentPath()).then().statusCode(200);

        List<Map<String, Object>> log = deletedLog(f);
        Map<String, Object> deletion = log.stream().filter(DeletionApiTest::isDeletion).findFirst().orElseThrow();
        assertTrue(deletion.get("description").toString().contains("Deleted along with environment \"" + f.environment() + "\""),
                deletion.get("description").toString());
        assertEquals(Map.of("_id", "bootstrap", "name", "bootstrap admin"), deletion.get("token"));
        // The new segment is untouched by the cleanup of its predecessor.
        admin().get(f.segmentPath()).then().statusCode(200).body("included", equalTo(List.of("u2"))).body("version", equalTo(2));
        assertEquals(6, log.size(), "the old segment's creation, patch, schedule and deletion; the new one's creation and patch: "
                + log.stream().map(e -> e.get("shortDescription")).toList());
    }

    @Test
    void deletingAProjectDeletesEverythingInItAndItsKeyStartsClean() throws InterruptedException {
        Fixture f = segmentWithUsers("u1");
        admin().delete("/api/v2/projects/" + f.project()).then().statusCode(204);
        admin().get("/api/v2/projects/" + f.project()).then().statusCode(404);
        admin().get(f.segmentPath()).then().statusCode(404).body("message", containsString("Project"));
        admin().delete("/api/v2/projects/" + f.project()).then().statusCode(404);

        admin().contentType(ContentType.JSON).body(Map.of("key", f.project(), "name", "Again", "environments",
                List.of(Map.of("key", f.environment(), "name", "Production", "color", "417505"))))
                .post("/api/v2/projects").then().statusCode(201);
        admin().get(f.segmentPath()).then().statusCode(404);
        Map<String, Object> deletion = deletedLog(f).get(0);
        assertTrue(deletion.get("description").toString().contains("Deleted along with project \"" + f.project() + "\""),
                deletion.get("description").toString());
        createSegment(f);
    }
}
