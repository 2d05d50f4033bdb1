package dev.segments.segment.api;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.patchExpiring;
import static dev.segments.testing.Api.segmentWithUsers;
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
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The context endpoints: same engine and rules as the user endpoint, one set of schedules. */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class ExpiringTargetsApiTest {

    static final long FUTURE = System.currentTimeMillis() + 86_400_000L;

    static String path(Fixture f) {
        return "/api/v2/segments/" + f.project() + "/" + f.segment() + "/expiring-targets/" + f.environment();
    }

    static Map<String, Object> instruction(String kind, String contextKind, String key, Long value, Long version) {
        Map<String, Object> i = new HashMap<>(Map.of("kind", kind, "contextKind", contextKind, "contextKey", key, "targetType", "included"));
        if (value != null) {
            i.put("value", value);
        }
        if (version != null) {
            i.put("version", version);
        }
        return i;
    }

    static Response patch(Fixture f, Object... instructions) {
        return admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("instructions", List.of(instructions))).patch(path(f));
    }

    static Fixture withOrgs(String... orgs) {
        Fixture f = segmentWithUsers("k");
        admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(), "instructions",
                List.of(Map.of("kind", "addIncludedTargets", "contextKind", "org", "values", List.of(orgs)))))
                .patch(f.segmentPath()).then().statusCode(200);
        return f;
    }

    @Test
    void addUpdateAndRemoveAContextSchedule() {
        Fixture f = withOrgs("acme");
        patch(f, instruction("addExpiringTarget", "org", "acme", FUTURE, null)).then().statusCode(200)
                .body("errors", empty())
                .body("items", hasSize(1))
                .body("items[0].contextKey", equalTo("acme"))
                .body("items[0].contextKind", equalTo("org"))
                .body("items[0].targetType", equalTo("included"))
                .body("items[0]._version", equalTo(1))
                .body("items[0]._resourceId.key", equalTo(f.segment()))
                .body("_links.self.href", equalTo(path(f)));
        patch(f, instruction("updateExpiringTarget", "org", "acme", FUTURE + 5, 1L)).then().statusCode(200)
                .body("errors", empty()).body("items[0]._version", equalTo(2)).body("items[0].expirationDate", equalTo(FUTURE + 5));
        patch(f, instruction("updateExpiringTarget", "org", "acme", FUTURE + 9, null)).then().statusCode(200)
                .body("errors", empty()).body("items[0]._version", equalTo(3));
        patch(f, instruction("removeExpiringTarget", "org", "acme", null, null)).then().statusCode(200).body("items", empty());
        admin().get(f.segmentPath()).then().body("includedContexts[0].values", equalTo(List.of("acme")));
        admin().get(path(f)).then().statusCode(200).body("items", empty());
    }

    @Test
    void updateWithAStaleTargetVersionFailsAndChangesNothing() {
        Fixture f = withOrgs("acme");
        patch(f, instruction("addExpiringTarget", "org", "acme", FUTURE, null)).then().statusCode(200);
        long version = version(f);
        patch(f, instruction("updateExpiringTarget", "org", "acme", FUTURE + 5, 7L)).then().statusCode(200)
                .body("failedInstructions", equalTo(1))
                .body("errors[0].instructionIndex", equalTo(0))
                .body("errors[0].message", containsString("_version"))
                .body("items[0].expirationDate", equalTo(FUTURE));
        assertEquals(version, version(f));
    }

    @Test
    void aContextMustBeTargetedForItsKind() {
        Fixture f = withOrgs("acme");
        patch(f, instruction("addExpiringTarget", "org", "globex", FUTURE, null),
                instruction("addExpiringTarget", "device", "acme", FUTURE, null)).then().statusCode(200)
                .body("failedInstructions", equalTo(2))
                .body("errors[0].message", containsString("\"globex\""))
                .body("errors[1].message", containsString("\"device\""));
    }

    @Test
    void oneScheduleIsVisibleThroughBothEndpoints() {
        Fixture f = withOrgs("acme");
        String id = patchExpiring(f, add("k", FUTURE)).then().statusCode(200).extract().path("items[0]._id");
        admin().get(path(f)).then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0]._id", equalTo(id))
                .body("items[0].contextKind", equalTo("user"))
                .body("items[0].contextKey", equalTo("k"));
        patch(f, instruction("updateExpiringTarget", "user", "k", FUTURE + 60_000, 1L)).then().statusCode(200).body("errors", empty());
        admin().get(f.expiringPath()).then().statusCode(200)
                .body("items[0]._id", equalTo(id))
                .body("items[0]._version", equalTo(2))
                .body("items[0].expirationDate", equalTo(FUTURE + 60_000));
        patch(f, instruction("addExpiringTarget", "user", "k", FUTURE + 60_000, null)).then().statusCode(200)
                .body("errors", empty()).body("items", hasSize(1));
    }

    @Test
    void theSameKeyUnderTwoKindsIsTwoTargetsWithTwoSchedules() {
        Fixture f = withOrgs("k");
        patch(f, instruction("addExpiringTarget", "user", "k", FUTURE, null),
                instruction("addExpiringTarget", "org", "k", FUTURE + 1, null)).then().statusCode(200)
                .body("errors", empty())
                .body("items.contextKind", equalTo(List.of("user", "org")));
        admin().get(f.expiringPath()).then().body("items", hasSize(1)).body("items[0].userKey", equalTo("k"));
        patch(f, instruction("removeExpiringTarget", "org", "k", null, null)).then().statusCode(200)
                .body("items.contextKind", equalTo(List.of("user")));
    }

    @Test
    void pastDatesAndSecondsAreReportedPerInstruction() {
        Fixture f = withOrgs("acme");
        patch(f, instruction("addExpiringTarget", "org", "acme", FUTURE / 1000, null)).then().statusCode(200)
                .body("errors[0].message", containsString("looks like seconds"));
    }

    @Test
    void malformedInstructionsAreRefusedWhole() {
        Fixture f = withOrgs("acme");
        patch(f, Map.of("kind", "addExpireUserTargetDate", "targetType", "included", "userKey", "k", "value", FUTURE))
                .then().statusCode(400).body("message", containsString("unknown kind"));
        patch(f, Map.of("kind", "addExpiringTarget", "targetType", "included", "contextKey", "acme", "value", FUTURE))
                .then().statusCode(400).body("message", containsString("\"contextKind\""));
        admin().get(path(f)).then().body("items", empty());
    }
}
