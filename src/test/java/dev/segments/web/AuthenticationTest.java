package dev.segments.web;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.as;
import static dev.segments.testing.Api.segmentWithUsers;
import static dev.segments.testing.Api.version;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
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

@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class AuthenticationTest {

    static final long FUTURE = System.currentTimeMillis() + 86_400_000L;

    static String token(String role) {
        return admin().contentType(ContentType.JSON).body(Map.of("name", role + "-token", "role", role))
                .post("/api/v2/tokens").then().statusCode(201)
                .body("role", equalTo(role))
                .extract().path("token");
    }

    io.restassured.response.Response patchAs(String token, Fixture f) {
        return as(token).contentType(Api.SEMANTIC_PATCH).body(Map.of("instructions", List.of(add("u", FUTURE))))
                .patch(f.expiringPath());
    }

    @Test
    void missingTokenIs401() {
        Fixture f = segmentWithUsers("u");
        patchAs(null, f).then().statusCode(401).body("code", equalTo("unauthorized"));
        as(null).get(f.segmentPath()).then().statusCode(401);
    }

    @Test
    void unknownOrMalformedTokenIs401AndRevealsNothing() {
        Fixture f = segmentWithUsers("u");
        patchAs("api-11111111-2222-4333-8444-555555555555", f).then().statusCode(401).body("code", equalTo("unauthorized"));
        as("not a token").get(f.segmentPath()).then().statusCode(401);
        as("api-11111111-2222-4333-8444-555555555555").get("/api/v2/segments/nope/nope/nope").then().statusCode(401);
    }

    @Test
    void deletedTokenStopsWorkingAtOnce() {
        Fixture f = segmentWithUsers("u");
        String writer = token("writer");
        as(writer).get(f.segmentPath()).then().statusCode(200);
        String id = admin().get("/api/v2/tokens").then().statusCode(200).extract()
                .path("items.find { it.token == '" + writer.substring(writer.length() - 4) + "' }._id");
        admin().delete("/api/v2/tokens/" + id).then().statusCode(204);
        as(writer).get(f.segmentPath()).then().statusCode(401);
        admin().delete("/api/v2/tokens/" + id).then().statusCode(404).body("code", equalTo("not_found"));
    }

    @Test
    void readerCanReadButNotPatch() {
        Fixture f = segmentWithUsers("u");
        String reader = token("reader");
        long version = version(f);
        as(reader).get(f.expiringPath()).then().statusCode(200);
        patchAs(reader, f).then().statusCode(403).body("code", equalTo("forbidden"));
        as(reader).contentType(ContentType.JSON).body(Map.of("key", "s2", "name", "S2"))
                .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(403);
        as(reader).delete(f.segmentPath()).then().statusCode(403);
        assertEquals(version, version(f));
    }

    @Test
    void writerPatchesButCannotManageTokens() {
        Fixture f = segmentWithUsers("u");
        String writer = token("writer");
        patchAs(writer, f).then().statusCode(200).body("successfulInstructions", equalTo(1));
        as(writer).get("/api/v2/tokens").then().statusCode(403);
        as(writer).contentType(ContentType.JSON).body(Map.of("name", "x", "role", "admin")).post("/api/v2/tokens").then().statusCode(403);
    }

    @Test
    void adminTokenManagesTokensAndBearerPrefixIsTolerated() {
        Fixture f = segmentWithUsers("u");
        String admin = token("admin");
        as("Bearer " + admin).get("/api/v2/tokens").then().statusCode(200);
        patchAs("Bearer " + admin, f).then().statusCode(200);
    }

    @Test
    void tokenSecretIsShownOnceAndOnlyItsHashIsStored() {
        String secret = token("reader");
        assertTrue(secret.matches("api-[0-9a-f-]{36}"), secret);
        admin().get("/api/v2/tokens").then().statusCode(200)
                .body("items.token", not(hasItem(secret)))
                .body("items.token", hasItem(secret.substring(secret.length() - 4)));
    }

    @Test
    void tokenRoleMustBeKnown() {
        admin().contentType(ContentType.JSON).body(Map.of("name", "x", "role", "owner")).post("/api/v2/tokens")
                .then().statusCode(400).body("code", equalTo("invalid_request"));
    }
}
