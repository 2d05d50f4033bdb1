package dev.segments.segment.api;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.patchExpiring;
import static dev.segments.testing.Api.segmentWithUsers;
import static dev.segments.testing.Api.version;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** patchSegment with a JSON Patch (RFC 6902): Content-Type application/json without the semantic-patch domain model. */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class SegmentJsonPatchTest {

    static final long FUTURE = System.currentTimeMillis() + 86_400_000L;

    static Map<String, Object> op(String op, String path, Object value) {
        return Map.of("op", op, "path", path, "value", value);
    }

    static Map<String, Object> remove(String path) {
        return Map.of("op", "remove", "path", path);
    }

    static Response patch(Fixture f, Object body) {
        return admin().contentType(ContentType.JSON).body(body).patch(f.segmentPath());
    }

    static String auditDescription(Fixture f) {
        return admin().queryParam("spec", "proj/" + f.project() + ":env/" + f.environment() + ":segment/" + f.segment())
                .get("/api/v2/auditlog").then().statusCode(200).extract().path("items[0].description");
    }

    @Test
    void changesDetailsAndListsAsOneVersionWithItsComment() {
        Fixture f = segmentWithUsers("b", "a");
        long version = version(f);
        patch(f, Map.of("comment", "JIRA-7", "patch", List.of(
                        op("replace", "/name", "Renamed"),
                        op("add", "/description", "About"),
                        op("add", "/tags/0", "first"),
                        op("add", "/tags/-", "last"),
                        op("add", "/included/-", "c"),
                        remove("/included/0"),
                        op("add", "/excluded", List.of("x", "y")))))
                .then().statusCode(200)
                .body("name", equalTo("Renamed"))
                .body("description", equalTo("About"))
                .body("tags", equalTo(List.of("first", "last")))
                .body("included", equalTo(List.of("b", "c")))
                .body("excluded", equalTo(List.of("x", "y")))
                .body("version", equalTo((int) version + 1));
        admin().get(f.segmentPath()).then().body("included", equalTo(List.of("b", "c")));
        String description = auditDescription(f);
        assertEquals(true, description.contains("Removed user \"a\" from included"), description);
        String comment = admin().queryParam("spec", "proj/" + f.project() + ":env/*:segment/" + f.segment())
                .get("/api/v2/auditlog").then().extract().path("items[0].comment");
        assertEquals("JIRA-7", comment);
    }

    @Test
    void aBareArrayOfOperationsIsAJsonPatchToo() {
        Fixture f = segmentWithUsers("a");
        patch(f, List.of(op("test", "/included/0", "a"), op("replace", "/included/0", "z"))).then().statusCode(200)
                .body("included", equalTo(List.of("z")));
    }

    @Test
    void aFailedTestChangesNothing() {
        Fixture f = segmentWithUsers("a");
        long version = version(f);
        patch(f, List.of(op("replace", "/name", "Changed"), op("test", "/included", List.of("someone else"))))
                .then().statusCode(400).body("code", equalTo("invalid_request"))
                .body("message", containsString("Operation 1 (test /included) cannot be applied, so nothing was changed"));
        admin().get(f.segmentPath()).then().body("name", equalTo("Segment")).body("version", equalTo((int) version));
    }

    @Test
    void takingUsersOutOfAListRemovesTheirSchedules() {
        Fixture f = segmentWithUsers("a", "b", "c");
        patchExpiring(f, add("a", FUTURE), add("b", FUTURE), add("c", FUTURE)).then().statusCode(200).body("items.size()", equalTo(3));
        patch(f, List.of(remove("/included/0"), op("replace", "/included/1", "d"))).then().statusCode(200)
                .body("included", equalTo(List.of("b", "d")));
        admin().get(f.expiringPath()).then().statusCode(200).body("items.userKey", equalTo(List.of("b")));
        patch(f, List.of(op("replace", "/included", List.of()))).then().statusCode(200).body("included", empty());
        admin().get(f.expiringPath()).then().body("items", empty());
    }

    @Test
    void malformedPatchesAreRefusedWhole() {
        Fixture f = segmentWithUsers("a");
        long version = version(f);
        patch(f, List.of(op("replace", "/rules", List.of()))).then().statusCode(400).body("message", containsString("/name, /description"));
        patch(f, List.of(op("add", "/included/01", "b"))).then().statusCode(400).body("message", containsString("not an array index"));
        patch(f, List.of(op("add", "/included/5", "b"))).then().statusCode(400).body("message", containsString("past the end"));
        patch(f, List.of(op("add", "/included/-", 7))).then().statusCode(400).body("message", containsString("string"));
        patch(f, List.of(op("add", "/excluded/-", "a"))).then().statusCode(400).body("message", containsString("both included and excluded"));
        patch(f, List.of(op("replace", "/name", "x".repeat(257)))).then().statusCode(400).body("message", containsString("256"));
        patch(f, List.of(Map.of("op", "copy", "from", "/name", "path", "/description"))).then().statusCode(400);
        patch(f, List.of(Map.of("op", "add", "path", "/tags/-"))).then().statusCode(400).body("message", containsString("\"value\""));
        patch(f, List.of()).then().statusCode(400).body("message", containsString("no operations"));
        patch(f, Map.of("environmentKey", f.environment(), "instructions", List.of(Map.of("kind", "updateName", "value", "x"))))
                .then().statusCode(400).body("message", containsString("domain-model=launchdarkly.semanticpatch"));
        patch(f, "\"just a string\"").then().statusCode(400);
        admin().contentType("text/plain").body("[]").patch(f.segmentPath()).then().statusCode(415);
        assertEquals(version, version(f));
        admin().contentType(ContentType.JSON).body(List.of(op("replace", "/name", "x")))
                .patch("/api/v2/segments/" + f.project() + "/" + f.environment() + "/nope").then().statusCode(404);
    }

    @Test
    void dryRunAnswersWithThePatchedSegmentAndStoresNothing() {
        Fixture f = segmentWithUsers("a");
        long version = version(f);
        admin().contentType(ContentType.JSON).queryParam("dryRun", "true").body(List.of(op("add", "/included/-", "b")))
                .patch(f.segmentPath()).then().statusCode(200)
                .body("included", equalTo(List.of("a", "b"))).body("version", equalTo((int) version + 1));
        admin().contentType(dev.segments.testing.Api.SEMANTIC_PATCH).queryParam("dryRun", "true")
                .body(Map.of("environmentKey", f.environment(), "instructions", List.of(Map.of("kind", "updateName", "value", "Preview"))))
                .patch(f.segmentPath()).then().statusCode(200).body("name", equalTo("Preview"));
        admin().get(f.segmentPath()).then().body("included", equalTo(List.of("a"))).body("name", equalTo("Segment"))
                .body("version", equalTo((int) version));
        admin().contentType(ContentType.JSON).queryParam("dryRun", "maybe").body(List.of(op("add", "/included/-", "b")))
                .patch(f.segmentPath()).then().statusCode(400).body("message", containsString("dryRun"));
    }
}
