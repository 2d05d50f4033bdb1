package dev.segments.token;

import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;

import dev.segments.testing.Api;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** getCallerIdentity: every token, a reader's too, learns which token it is and its role (in {@code scopes}); nothing else may ask. */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class CallerIdentityApiTest {

    static final String PATH = "/api/v2/caller-identity";

    @Test
    void everyRoleSeesItsOwnTokenAndRole() {
        for (String role : List.of("reader", "writer", "admin")) {
            JsonPath created = TokenApiTest.create("who-" + role, role);
            as(created.getString("token")).get(PATH).then().statusCode(200)
                    .body("authKind", equalTo("token")).body("serviceToken", equalTo(true))
                    .body("tokenId", equalTo(created.getString("_id"))).body("tokenName", equalTo("who-" + role))
                    .body("scopes", equalTo(List.of(role)));
        }
        as("Bearer " + Api.ADMIN).get(PATH).then().statusCode(200)
                .body("tokenId", equalTo("bootstrap")).body("tokenName", equalTo("bootstrap admin")).body("scopes", equalTo(List.of("admin")));
    }

    @Test
    void aChangedRoleShowsAtOnceAndADeletedTokenIsUnknown() {
        JsonPath created = TokenApiTest.create("promoted", "reader");
        String secret = created.getString("token");
        String id = created.getString("_id");
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/role", "value", "writer")))
                .patch("/api/v2/tokens/" + id).then().statusCode(200);
        as(secret).get(PATH).then().statusCode(200).body("scopes", equalTo(List.of("writer")));
        admin().delete("/api/v2/tokens/" + id).then().statusCode(204);
        as(secret).get(PATH).then().statusCode(401).body("code", equalTo("unauthorized"));
    }

    @Test
    void withoutAValidTokenItIs401() {
        as(null).get(PATH).then().statusCode(401).body("code", equalTo("unauthorized"));
        as("api-0badc0de-0000-4000-8000-00000000beef").get(PATH).then().statusCode(401).body("code", equalTo("unauthorized"));
        as(Api.ADMIN).post(PATH).then().statusCode(405);
    }
}
