package dev.segments.token;

import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.as;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** getToken and patchToken: a token by id, its name and role changed by JSON Patch; the secret is never shown again. */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class TokenApiTest {

    static JsonPath create(String name, String role) {
        return admin().contentType(ContentType.JSON).body(Map.of("name", name, "role", role))
                .post("/api/v2/tokens").then().statusCode(201).extract().jsonPath();
    }

    @Test
    void getShowsTheTokenWithoutItsSecret() {
        JsonPath created = create("ci", "writer");
        String secret = created.getString("token");
        String id = created.getString("_id");
        String body = admin().get("/api/v2/tokens/" + id).then().statusCode(200)
                .body("_id", equalTo(id)).body("name", equalTo("ci")).body("role", equalTo("writer"))
                .body("token", equalTo(secret.substring(secret.length() - 4)))
                .body("_links.self.href", equalTo("/api/v2/tokens/" + id))
                .extract().asString();
        assertFalse(body.contains(secret.substring(4)), "the secret is never shown again");
        admin().get("/api/v2/tokens/000000000000000000000000").then().statusCode(404).body("code", equalTo("not_found"));
    }

    @Test
    void patchRenamesAndChangesTheRoleWhichAppliesAtOnce() {
        Fixture f = segmentWithUsers("u");
        JsonPath created = create("deployer", "reader");
        String secret = created.getString("token");
        String id = created.getString("_id");
        long creationDate = created.getLong("creationDate");
        as(secret).delete(f.segmentPath()).then().statusCode(403);

        String body = admin().contentType(ContentType.JSON).body(List.of(
                        Map.of("op", "test", "path", "/role", "value", "reader"),
                        Map.of("op", "replace", "path", "/role", "value", "writer"),
                        Map.of("op", "replace", "path", "/name", "value", "deployer-2")))
                .patch("/api/v2/tokens/" + id).then().statusCode(200)
                .body("name", equalTo("deployer-2")).body("role", equalTo("writer"))
                .body("lastModified", greaterThanOrEqualTo(creationDate))
                .body("token", equalTo(secret.substring(secret.length() - 4)))
                .extract().asString();
        assertFalse(body.contains(secret.substring(4)));
        admin().get("/api/v2/tokens/" + id).then().body("name", equalTo("deployer-2")).body("role", equalTo("writer"));
        as(secret).delete(f.segmentPath()).then().statusCode(204);
        String author = admin().queryParam("spec", "proj/" + f.project() + ":env/*:segment/*").get("/api/v2/auditlog").then()
                .extract().path("items[0].token.name");
        assertEquals("deployer-2", author, "changes are recorded under the new name");
    }

    @Test
    void badPatchesChangeNothing() {
        String id = create("steady", "reader").getString("_id");
        String path = "/api/v2/tokens/" + id;
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/role", "value", "owner")))
                .patch(path).then().statusCode(400).body("message", containsString("\"reader\", \"writer\" or \"admin\""));
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/name", "value", "renamed"),
                        Map.of("op", "test", "path", "/role", "value", "admin")))
                .patch(path).then().statusCode(400).body("message", containsString("test failed"));
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/token", "value", "api-x")))
                .patch(path).then().statusCode(400).body("message", containsString("/name, /role"));
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/name", "value", "")))
                .patch(path).then().statusCode(400);
        admin().get(path).then().body("name", equalTo("steady")).body("role", equalTo("reader"));
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/name", "value", "x")))
                .patch("/api/v2/tokens/000000000000000000000000").then().statusCode(404);
    }

    @Test
    void onlyAdminsReadOrChangeTokens() {
        String id = create("target", "reader").getString("_id");
        String writer = create("not-admin", "writer").getString("token");
        as(writer).get("/api/v2/tokens/" + id).then().statusCode(403).body("code", equalTo("forbidden"));
        as(writer).contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/role", "value", "admin")))
                .patch("/api/v2/tokens/" + id).then().statusCode(403);
        admin().get("/api/v2/tokens/" + id).then().body("role", equalTo("reader"));
    }
}
