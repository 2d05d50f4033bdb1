package dev.segments.segment.api;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.patchExpiring;
import static dev.segments.testing.Api.segmentWithUsers;
import static dev.segments.testing.Api.unique;
import static dev.segments.testing.Api.version;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class SegmentApiTest {

    static final long FUTURE = System.currentTimeMillis() + 86_400_000L;

    io.restassured.response.Response patch(Fixture f, Object... instructions) {
        return admin().contentType(Api.SEMANTIC_PATCH)
                .body(Map.of("environmentKey", f.environment(), "instructions", List.of(instructions), "comment", "because"))
                .patch(f.segmentPath());
    }

    @Test
    void createGetListAndDelete() {
        Fixture f = segmentWithUsers();
        admin().contentType(ContentType.JSON)
                .body(Map.of("key", "second", "name", "Second", "description", "d", "tags", List.of("t1")))
                .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(201)
                .body("key", equalTo("second")).body("version", equalTo(1)).body("tags", equalTo(List.of("t1")));
        admin().get("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(200)
                .body("items.key", equalTo(List.of(f.segment(), "second").stream().sorted().toList()))
                .body("totalCount", equalTo(2));
        admin().delete(f.segmentPath()).then().statusCode(204);
        admin().get(f.segmentPath()).then().statusCode(404).body("message", containsString("Segment"));
        admin().delete(f.segmentPath()).then().statusCode(404);
    }

    @Test
    void duplicateSegmentKeyIsAConflict() {
        Fixture f = segmentWithUsers();
        admin().contentType(ContentType.JSON).body(Map.of("key", f.segment(), "name", "Again"))
                .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(409);
    }

    @Test
    void createNeedsAnExistingEnvironmentAndValidBody() {
        Fixture f = segmentWithUsers();
        admin().contentType(ContentType.JSON).body(Map.of("key", "s", "name", "S"))
                .post("/api/v2/segments/" + f.project() + "/nowhere").then().statusCode(404)
                .body("message", containsString("Environment \"nowhere\""));
        admin().contentType(ContentType.JSON).body(Map.of("key", "bad key", "name", "S"))
                .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(400);
        admin().contentType(ContentType.JSON).body(Map.of("key", "s"))
                .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(400)
                .body("message", containsString("\"name\""));
    }

    @Test
    void semanticPatchChangesTargetsNameDescriptionAndTags() {
        Fixture f = segmentWithUsers("u1");
        long version = version(f);
        patch(f, Map.of("kind", "addIncludedUsers", "values", List.of("u2")),
                Map.of("kind", "addExcludedUsers", "values", List.of("x1")),
                Map.of("kind", "addIncludedTargets", "contextKind", "org", "values", List.of("acme")),
                Map.of("kind", "addExcludedTargets", "contextKind", "device", "values", List.of("d1")),
                Map.of("kind", "removeIncludedUsers", "values", List.of("u1")),
                Map.of("kind", "updateName", "value", "Renamed"),
                Map.of("kind", "updateDescription", "value", "About"),
                Map.of("kind", "addTags", "values", List.of("a", "b")),
                Map.of("kind", "removeTags", "values", List.of("a")))
                .then().statusCode(200)
                .body("included", equalTo(List.of("u2")))
                .body("excluded", equalTo(List.of("x1")))
                .body("includedContexts[0].contextKind", equalTo("org"))
                .body("includedContexts[0].values", equalTo(List.of("acme")))
                .body("excludedContexts[0].contextKind", equalTo("device"))
                .body("name", equalTo("Renamed"))
                .body("description", equalTo("About"))
                .body("tags", equalTo(List.of("b")))
                .body("version", equalTo((int) version + 1));
    }

    @Test
    void userTargetsAndUserKindContextsAreOneSet() {
        Fixture f = segmentWithUsers();
        patch(f, Map.of("kind", "addIncludedTargets", "contextKind", "user", "values", List.of("u"))).then().statusCode(200)
                .body("included", equalTo(List.of("u")));
        patchExpiring(f, add("u", FUTURE)).then().statusCode(200).body("errors", empty());
        patch(f, Map.of("kind", "removeIncludedTargets", "contextKind", "user", "values", List.of("u"))).then().statusCode(200)
                .body("included", empty());
        admin().get(f.expiringPath()).then().body("items", empty());
    }

    @Test
    void segmentPatchIsAllOrNothing() {
        Fixture f = segmentWithUsers("u1");
        long version = version(f);
        patch(f, Map.of("kind", "updateName", "value", "Changed"),
                Map.of("kind", "addExcludedUsers", "values", List.of("u1")))
                .then().statusCode(400).body("code", equalTo("invalid_request"))
                .body("message", containsString("both included and excluded"));
        admin().get(f.segmentPath()).then().body("name", equalTo("Segment")).body("version", equalTo((int) version));
        patch(f, Map.of("kind", "updateName", "value", "Changed"), Map.of("kind", "frobnicate"))
                .then().statusCode(400).body("message", containsString("unknown kind"));
        assertEquals(version, version(f));
    }

    @Test
    void segmentPatchNeedsMatchingEnvironmentKey() {
        Fixture f = segmentWithUsers();
        admin().contentType(Api.SEMANTIC_PATCH)
                .body(Map.of("environmentKey", "other", "instructions", List.of(Map.of("kind", "updateName", "value", "x"))))
                .patch(f.segmentPath()).then().statusCode(400).body("message", containsString("environmentKey"));
    }

    @Test
    void deletingASegmentDeletesItsSchedulesAndARecreatedOneStartsEmpty() {
        Fixture f = segmentWithUsers("u");
        patchExpiring(f, add("u", FUTURE)).then().statusCode(200).body("items", hasSize(1));
        admin().delete(f.segmentPath()).then().statusCode(204);
        admin().get(f.expiringPath()).then().statusCode(404);
        admin().contentType(ContentType.JSON).body(Map.of("key", f.segment(), "name", "Again"))
                .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(201)
                .body("included", empty()).body("version", equalTo(1));
        admin().get(f.expiringPath()).then().statusCode(200).body("items", empty());
    }

    @Test
    void projectsAndEnvironments() {
        String project = unique("p");
        admin().contentType(ContentType.JSON).body(Map.of("key", project, "name", "P")).post("/api/v2/projects")
                .then().statusCode(201).body("key", equalTo(project)).body("environments", empty());
        admin().contentType(ContentType.JSON).body(Map.of("key", project, "name", "P")).post("/api/v2/projects")
                .then().statusCode(409);
        admin().contentType(ContentType.JSON).body(Map.of("key", "test", "name", "Test", "color", "F5A623"))
                .post("/api/v2/projects/" + project + "/environments").then().statusCode(201).body("key", equalTo("test"));
        admin().contentType(ContentType.JSON).body(Map.of("key", "test", "name", "Test", "color", "F5A623"))
                .post("/api/v2/projects/" + project + "/environments").then().statusCode(409);
        admin().get("/api/v2/projects/" + project).then().statusCode(200).body("environments.items.key", equalTo(List.of("test")));
        admin().get("/api/v2/projects/" + project + "/environments/test").then().statusCode(200).body("color", equalTo("F5A623"));
        admin().get("/api/v2/projects/" + project + "/environments/prod").then().statusCode(404);
        admin().get("/api/v2/projects/missing-" + project).then().statusCode(404);
        admin().contentType(ContentType.JSON).body(Map.of("key", "e", "name", "E", "color", "red"))
                .post("/api/v2/projects/" + project + "/environments").then().statusCode(400);
    }

    @Test
    void sameSegmentKeyInTwoEnvironmentsIsTwoSegments() {
        Fixture f = segmentWithUsers("u");
        admin().contentType(ContentType.JSON).body(Map.of("key", "staging", "name", "Staging", "color", "000000"))
                .post("/api/v2/projects/" + f.project() + "/environments").then().statusCode(201);
        admin().contentType(ContentType.JSON).body(Map.of("key", f.segment(), "name", "Twin"))
                .post("/api/v2/segments/" + f.project() + "/staging").then().statusCode(201).body("included", empty());
        admin().get(f.segmentPath()).then().body("included", equalTo(List.of("u")));
    }
}
