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

    @Test
    void addForUserNotInTheListFailsNamingTheUserAndChangesNothing() {
        Fixture f = segmentWithUsers("in");
        long version = version(f);
        patchExpiring(f, add("out", FUTURE)).then().statusCode(200)
                .body("items", empty())
                .body("failedInstructions", equalTo(1))
                .body("successfulInstructions", equalTo(0))
                .body("errors[0].instructionIndex", equalTo(0))
                .body("errors[0].message", containsString("\"out\""))
                .body("errors[0].message", containsString("included"));
        assertEquals(version, version(f));
    }

    @Test
    void addForUserInExcludedListNeedsExcludedTargetType() {
        Fixture f = segmentWithUsers();
        admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(), "instructions",
                List.of(Map.of("kind", "addExcludedUsers", "values", List.of("x"))))).patch(f.segmentPath()).then().statusCode(200);
        patchExpiring(f, add("x", FUTURE)).then().statusCode(200).body("failedInstructions", equalTo(1));
        patchExpiring(f, Map.of("kind", "addExpireUserTargetDate", "targetType", "excluded", "userKey", "x", "value", FUTURE))
                .then().statusCode(200).body("failedInstructions", equalTo(0)).body("items[0].targetType", equalTo("excluded"));
    }

    @Test
    void addAgainWithSameDateSucceedsWithoutChangeAndDifferentDateFails() {
        Fixture f = segmentWithUsers("u");
        patchExpiring(f, add("u", FUTURE)).then().statusCode(200);
        long version = version(f);
        patchExpiring(f, add("u", FUTURE)).then().statusCode(200)
                .body("errors", empty()).body("successfulInstructions", equalTo(1)).body("items[0]._version", equalTo(1));
        assertEquals(version, version(f));
        patchExpiring(f, add("u", FUTURE + 1)).then().statusCode(200)
                .body("failedInstructions", equalTo(1))
                .body("errors[0].message", containsString("\"u\""))
                .body("items[0].expirationDate", equalTo(FUTURE));
        assertEquals(version, version(f));
    }

    @Test
    void updateMovesTheScheduleKeepingItsIdAndBumpingItsVersion() {
        Fixture f = segmentWithUsers("u");
        String id = patchExpiring(f, add("u", FUTURE)).then().extract().path("items[0]._id");
        long version = version(f);
        patchExpiring(f, update("u", FUTURE + 60_000, version)).then().statusCode(200)
                .body("errors", empty())
                .body("items[0]._id", equalTo(id))
                .body("items[0]._version", equalTo(2))
                .body("items[0].expirationDate", equalTo(FUTURE + 60_000));
        assertEquals(version + 1, version(f));
    }

    @Test
    void updateWithoutScheduleFails() {
        Fixture f = segmentWithUsers("u");
        patchExpiring(f, update("u", FUTURE, version(f))).then().statusCode(200)
                .body("failedInstructions", equalTo(1))
                .body("errors[0].message", containsString("\"u\""))
                .body("errors[0].message", containsString("no removal"));
    }

    @Test
    void updateForUserNotInTheListFails() {
        Fixture f = segmentWithUsers("u");
        patchExpiring(f, update("stranger", FUTURE, version(f))).then().statusCode(200)
                .body("failedInstructions", equalTo(1))
                .body("errors[0].message", containsString("\"stranger\""));
    }

    @Test
    void updateWithStaleVersionFailsAndChangesNothing() {
        Fixture f = segmentWithUsers("u");
        patchExpiring(f, add("u", FUTURE)).then().statusCode(200);
        long version = version(f);
        patchExpiring(f, update("u", FUTURE + 1, version - 1)).then().statusCode(200)
                .body("failedInstructions", equalTo(1))
                .body("errors[0].message", containsString("version"))
                .body("items[0].expirationDate", equalTo(FUTURE));
        assertEquals(version, version(f));
    }

    @Test
    void pastDatesFailAndSecondsAreCalledOut() {
        Fixture f = segmentWithUsers("u");
        long now = System.currentTimeMillis();
        patchExpiring(f, add("u", now - 1000), add("u", now / 1000 + 3600)).then().statusCode(200)
                .body("failedInstructions", equalTo(2))
                .body("errors[0].message", containsString("not in the future"))
                .body("errors[0].message", not(containsString("looks like seconds")))
                .body("errors[1].instructionIndex", equalTo(1))
                .body("errors[1].message", containsString("looks like seconds"));
    }

    @Test
    void removeCancelsTheScheduleAndKeepsTheUser() {
        Fixture f = segmentWithUsers("u");
        patchExpiring(f, add("u", FUTURE)).then().statusCode(200);
        long version = version(f);
        patchExpiring(f, remove("u")).then().statusCode(200).body("items", empty()).body("errors", empty());
        assertEquals(version + 1, version(f));
        admin().get(f.segmentPath()).then().body("included", equalTo(List.of("u")));
    }

    @Test
    void removeWithoutScheduleSucceedsAndChangesNothing() {
        Fixture f = segmentWithUsers("u");
        long version = version(f);
        patchExpiring(f, remove("u")).then().statusCode(200).body("errors", empty()).body("successfulInstructions", equalTo(1));
        assertEquals(version, version(f));
    }

    @Test
    void instructionsApplyInOrderSuccessesCommitTogetherAsOneVersion() {
        Fixture f = segmentWithUsers("a", "b", "c");
        long version = version(f);
        patchExpiring(f, add("a", FUTURE), add("nobody", FUTURE), add("b", FUTURE + 5), update("a", FUTURE + 9, version),
                remove("b")).then().statusCode(200)
                .body("totalInstructions", equalTo(5))
                .body("successfulInstructions", equalTo(4))
                .body("failedInstructions", equalTo(1))
                .body("errors[0].instructionIndex", equalTo(1))
                .body("items.userKey", equalTo(List.of("a")))
                .body("items[0].expirationDate", equalTo(FUTURE + 9));
        assertEquals(version + 1, version(f));
    }

    @Test
    void itemsAreOrderedByDateThenUserKeyAndIncludeUntouchedSchedules() {
        Fixture f = segmentWithUsers("d", "c", "b", "a");
        patchExpiring(f, add("d", FUTURE), add("c", FUTURE + 1)).then().statusCode(200);
        patchExpiring(f, add("b", FUTURE), add("a", FUTURE + 1)).then().statusCode(200)
                .body("items.userKey", equalTo(List.of("b", "d", "a", "c")));
    }

    @Test
    void allInstructionsFailingLeavesVersionUnchanged() {
        Fixture f = segmentWithUsers("u");
        long version = version(f);
        patchExpiring(f, add("x", FUTURE), update("u", FUTURE, version)).then().statusCode(200)
                .body("failedInstructions", equalTo(2));
        assertEquals(version, version(f));
    }

    @Test
    void removingTheUserFromTheSegmentDeletesTheSchedule() {
        Fixture f = segmentWithUsers("u", "v");
        patchExpiring(f, add("u", FUTURE), add("v", FUTURE)).then().statusCode(200);
        admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(), "instructions",
                List.of(Map.of("kind", "removeIncludedUsers", "values", List.of("u"))))).patch(f.segmentPath()).then().statusCode(200);
        admin().get(f.expiringPath()).then().statusCode(200).body("items.userKey", equalTo(List.of("v")));
    }

    @Test
    void targetKeysAreDataWhateverCharactersTheyHold() {
        String[] keys = {"a#b", "a/b%2F", "ключ ✓", "x\u0000y", "user:1#SEGMENTS#p#e"};
        Fixture f = segmentWithUsers(keys);
        patchExpiring(f, add(keys[0], FUTURE), add(keys[1], FUTURE), add(keys[2], FUTURE), add(keys[3], FUTURE), add(keys[4], FUTURE))
                .then().statusCode(200).body("errors", empty()).body("items", hasSize(5));
        admin().get(f.segmentPath()).then().body("included", hasSize(5));
    }
}
