package dev.segments.web;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.as;
import static dev.segments.testing.Api.segmentWithUsers;
import static dev.segments.testing.Api.version;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class SecurityTest {

    static String token(String role) {
        return admin().contentType(ContentType.JSON).body(Map.of("name", "sec-" + role, "role", role))
                .post("/api/v2/tokens").then().statusCode(201).extract().path("token");
    }

    @Test
    void aReaderCannotWriteThroughAnyRoute() {
        Fixture f = segmentWithUsers("u");
        String reader = token("reader");
        long version = version(f);
        String contexts = "/api/v2/segments/" + f.project() + "/" + f.segment() + "/expiring-targets/" + f.environment();
        String json = "application/json";
        String projectPath = "/api/v2/projects/" + f.project();
        String environmentPath = projectPath + "/environments/" + f.environment();
        String rename = "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"x\"}]";
        List<String[]> writes = List.of(
                new String[] {"POST", "/api/v2/projects", json, "{\"key\":\"r1\",\"name\":\"R\"}"},
                new String[] {"PATCH", projectPath, json, rename},
                new String[] {"DELETE", projectPath, null, null},
                new String[] {"POST", projectPath + "/environments", json, "{\"key\":\"r1\",\"name\":\"R\",\"color\":\"000000\"}"},
                new String[] {"PATCH", environmentPath, json, rename},
                new String[] {"DELETE", environmentPath, null, null},
                new String[] {"PATCH", f.segmentPath(), json, rename},
                new String[] {"POST", "/api/v2/segments/" + f.project() + "/" + f.environment(), json, "{\"key\":\"r1\",\"name\":\"R\"}"},
                new String[] {"PATCH", f.segmentPath(), Api.SEMANTIC_PATCH,
                        "{\"environmentKey\":\"" + f.environment() + "\",\"instructions\":[{\"kind\":\"updateName\",\"value\":\"x\"}]}"},
                new String[] {"DELETE", f.segmentPath(), null, null},
                new String[] {"PATCH", f.expiringPath(), Api.SEMANTIC_PATCH,
                        "{\"instructions\":[{\"kind\":\"removeExpireUserTargetDate\",\"targetType\":\"included\",\"userKey\":\"u\"}]}"},
                new String[] {"PATCH", contexts, Api.SEMANTIC_PATCH,
                        "{\"instructions\":[{\"kind\":\"removeExpiringTarget\",\"targetType\":\"included\",\"contextKind\":\"user\",\"contextKey\":\"u\"}]}"},
                new String[] {"POST", "/api/v2/tokens", json, "{\"name\":\"x\",\"role\":\"admin\"}"},
                new String[] {"GET", "/api/v2/tokens", null, null},
                new String[] {"GET", "/api/v2/tokens/anything", null, null},
                new String[] {"PATCH", "/api/v2/tokens/anything", json, rename},
                new String[] {"DELETE", "/api/v2/tokens/anything", null, null});
        for (String[] w : writes) {
            var request = as(reader);
            if (w[2] != null) {
                request = request.contentType(w[2]).body(w[3]);
            }
            request.request(w[0], w[1]).then().statusCode(403).body("code", equalTo("forbidden"));
        }
        assertEquals(version, version(f));
        admin().get("/api/v2/projects/r1").then().statusCode(404);
        admin().get(environmentPath).then().statusCode(200).body("name", equalTo("Production"));
        admin().get(projectPath).then().statusCode(200).body("name", equalTo("Project"));
        // What a reader may do: read projects, environments and segments.
        as(reader).get("/api/v2/projects").then().statusCode(200);
        as(reader).get(projectPath + "/environments").then().statusCode(200);
        as(reader).get(environmentPath).then().statusCode(200);
    }

    @Test
    void aWriterChangesAndDeletesProjectsAndEnvironments() {
        Fixture f = segmentWithUsers("u");
        String writer = token("writer");
        String projectPath = "/api/v2/projects/" + f.project();
        as(writer).contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/name", "value", "Renamed")))
                .patch(projectPath).then().statusCode(200);
        as(writer).contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/color", "value", "ABCDEF")))
                .patch(projectPath + "/environments/" + f.environment()).then().statusCode(200);
        as(writer).delete(projectPath + "/environments/" + f.environment()).then().statusCode(204);
        as(writer).delete(projectPath).then().statusCode(204);
    }

    @Test
    void anotherProjectsDataIsNeitherSeenNorTouched() {
        Fixture a = segmentWithUsers("alice");
        Fixture b = segmentWithUsers("bob");
        // The same segment key in project b, reached through project b's keys, is b's alone.
        admin().contentType(ContentType.JSON).body(Map.of("key", a.segment(), "name", "Twin"))
                .post("/api/v2/segments/" + b.project() + "/" + b.environment()).then().statusCode(201);
        String twinPath = "/api/v2/segments/" + b.project() + "/" + b.environment() + "/" + a.segment();
        admin().get(twinPath).then().statusCode(200).body("included", equalTo(List.of()));
        admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", b.environment(), "instructions",
                List.of(Map.of("kind", "addIncludedUsers", "values", List.of("mallory"))))).patch(twinPath).then().statusCode(200);
        admin().get(a.segmentPath()).then().body("included", equalTo(List.of("alice"))).body("version", equalTo(2));
        admin().get("/api/v2/segments/" + a.project() + "/" + a.environment()).then().body("items.key", equalTo(List.of(a.segment())));
    }

    @Test
    void noTokenOrAuthorizationHeaderEverReachesTheLogs() throws Exception {
        Fixture f = segmentWithUsers("u");
        String writer = token("writer");
        String unknown = "api-0badc0de-0000-4000-8000-00000000beef";
        as(writer).contentType(Api.SEMANTIC_PATCH).body(Map.of("instructions", List.of(add("u", System.currentTimeMillis() + 60_000))))
                .patch(f.expiringPath()).then().statusCode(200);
        as("Bearer " + writer).get(f.segmentPath()).then().statusCode(200);
        as(unknown).get(f.segmentPath()).then().statusCode(401);
        as("Bearer " + unknown).delete(f.segmentPath()).then().statusCode(401);
        as("not-a-token-" + unknown).get(f.segmentPath()).then().statusCode(401);
        as(writer).contentType("application/json").body("{broken").patch(f.expiringPath()).then().statusCode(400);

        Path log = Path.of("target", "service-test.log");
        Path requests = Path.of("target", "metrics-test.log");
        assertTrue(Files.exists(log), "the test profile writes the service log to " + log);
        String all = Files.readString(log) + Files.readString(requests);
        assertTrue(all.contains("Installed features"), "the log file holds this run's log");
        assertTrue(all.contains("\"route\":\"PATCH /api/v2/segments/{projectKey}/{segmentKey}/expiring-user-targets/{environmentKey}\""),
                "the request lines are searched too");
        for (String secret : List.of(writer, unknown, Api.ADMIN, writer.substring(4), unknown.substring(4))) {
            assertFalse(all.contains(secret), "a token appears in the service log");
        }
        assertFalse(all.toLowerCase().contains("authorization:"), "an Authorization header appears in the service log");
    }
}
