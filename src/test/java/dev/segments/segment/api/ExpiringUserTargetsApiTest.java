package dev.segments.segment.api;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.patchExpiring;
import static dev.segments.testing.Api.remove;
import static dev.segments.testing.Api.segmentWithUsers;
import static dev.segments.testing.Api.update;
import static dev.segments.testing.Api.version;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class ExpiringUserTargetsApiTest {

    static final long FUTURE = System.currentTimeMillis() + 30L * 86_400_000L;

    @Test
    void launchDarklyDocsExampleIsAnsweredWithOneItemAndNoErrors() {
        Fixture f = segmentWithUsers("user-key-123abc");
        long version = version(f);
        String body = """
                {"comment": "optional comment", "instructions": [{"kind": "addExpireUserTargetDate",
                 "userKey": "user-key-123abc", "targetType": "included", "value": %d, "version": %d,
                 "contextKey": "user-key-123abc", "contextKind": "user"}]}""".formatted(FUTURE, version);
        admin().contentType(Api.SEMANTIC_PATCH).body(body).patch(f.expiringPath()).then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].userKey", equalTo("user-key-123abc"))
                .body("items[0].targetType", equalTo("included"))
                .body("items[0].expirationDate", equalTo(FUTURE))
                .body("items[0]._version", equalTo(1))
                .body("items[0]._resourceId.kind", equalTo("segment"))
                .body("items[0]._resourceId.key", equalTo(f.segment()))
                .body("items[0]._resourceId.projectKey", equalTo(f.project()))
                .body("items[0]._resourceId.environmentKey", equalTo(f.environment()))
                .body("errors", empty())
                .body("totalInstructions", equalTo(1))
                .body("successfulInstructions", equalTo(1))
                .body("failedInstructions", equalTo(0))
                .body("_links.self.href", equalTo(f.expiringPath()))
                .body("_links.parent.href", equalTo(f.segmentPath()));
        assertEquals(version + 1, version(f));
    }

    @Test
    void getReturnsTheSameItems() {
        Fixture f = segmentWithUsers("a", "b");
        JsonPath patched = patchExpiring(f, add("a", FUTURE), add("b", FUTURE - 1000)).then().statusCode(200).extract().jsonPath();
        JsonPath got = admin().get(f.expiringPath()).then().statusCode(200).extract().jsonPath();
        assertEquals(patched.getList("items"), got.getList("items"));
        assertEquals(List.of("b", "a"), got.getList("items.userKey"));
    }
}
