package dev.segments.segment.api;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.segmentWithUsers;
import static dev.segments.testing.Api.version;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every malformed request is refused whole with a clear {code, message}, and changes nothing. */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class RequestErrorsTest {

    static final long FUTURE = System.currentTimeMillis() + 86_400_000L;

    void refused(Fixture f, String contentType, String body, int status, String code, String messagePart) {
        long version = version(f);
        admin().contentType(contentType).body(body).patch(f.expiringPath()).then()
                .statusCode(status)
                .body("code", equalTo(code))
                .body("message", containsString(messagePart));
        assertEquals(version, version(f));
        admin().get(f.expiringPath()).then().body("items.size()", equalTo(0));
    }

    void invalid(String body, String messagePart) {
        refused(segmentWithUsers("u"), Api.SEMANTIC_PATCH, body, 400, "invalid_request", messagePart);
    }

    @Test
    void malformedJson() {
        invalid("{\"instructions\": [", "not valid JSON");
    }

    @Test
    void duplicateJsonKeys() {
        invalid("{\"instructions\": [], \"instructions\": []}", "not valid JSON");
    }

    @Test
    void missingOrEmptyInstructions() {
        invalid("{}", "instructions");
        invalid("{\"instructions\": []}", "non-empty");
        invalid("{\"instructions\": {}}", "non-empty");
    }

    @Test
    void unknownKindRefusesTheWholeRequest() {
        invalid("{\"instructions\": [" + json(add("u", FUTURE)) + ", {\"kind\": \"addExpireFlagTargetDate\"}]}", "unknown kind");
    }

    @Test
    void missingParameter() {
        invalid("{\"instructions\": [{\"kind\": \"addExpireUserTargetDate\", \"targetType\": \"included\", \"userKey\": \"u\"}]}",
                "\"value\"");
        invalid("{\"instructions\": [{\"kind\": \"updateExpireUserTargetDate\", \"targetType\": \"included\", \"userKey\": \"u\", \"value\": "
                + FUTURE + "}]}", "\"version\"");
        invalid("{\"instructions\": [{\"kind\": \"removeExpireUserTargetDate\", \"targetType\": \"included\"}]}", "\"userKey\"");
    }

    @Test
    void wrongParameterTypes() {
        invalid("{\"instructions\": [{\"kind\": \"addExpireUserTargetDate\", \"targetType\": \"included\", \"userKey\": \"u\", \"value\": \"tomorrow\"}]}",
                "integer");
        invalid("{\"instructions\": [{\"kind\": \"addExpireUserTargetDate\", \"targetType\": \"included\", \"userKey\": \"u\", \"value\": 1.5e12}]}",
                "integer");
        invalid("{\"instructions\": [{\"kind\": \"addExpireUserTargetDate\", \"targetType\": \"included\", \"userKey\": \"u\", \"value\": 99999999999999999999999}]}",
                "64 bits");
        invalid("{\"instructions\": [{\"kind\": \"addExpireUserTargetDate\", \"targetType\": \"included\", \"userKey\": 7, \"value\": " + FUTURE + "}]}",
                "string");
    }

    @Test
    void targetTypeMustBeIncludedOrExcluded() {
        invalid("{\"instructions\": [{\"kind\": \"addExpireUserTargetDate\", \"targetType\": \"both\", \"userKey\": \"u\", \"value\": " + FUTURE + "}]}",
                "\"included\" or \"excluded\"");
    }

    @Test
    void targetKeysBreakingTheRules() {
        invalid("{\"instructions\": [{\"kind\": \"addExpireUserTargetDate\", \"targetType\": \"included\", \"userKey\": \"\", \"value\": " + FUTURE + "}]}",
                "512");
        invalid("{\"instructions\": [{\"kind\": \"addExpireUserTargetDate\", \"targetType\": \"included\", \"userKey\": \"" + "é".repeat(257)
                + "\", \"value\": " + FUTURE + "}]}", "512");
    }

    @Test
    void moreThan250Instructions() {
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 251; i++) {
            many.add(add("u", FUTURE));
        }
        invalid("{\"instructions\": " + json(many) + "}", "limit is 250");
    }

    @Test
    void semanticPatchWithoutDomainModelSaysToAddIt() {
        refused(segmentWithUsers("u"), "application/json", "{\"instructions\": [" + json(add("u", FUTURE)) + "]}", 400,
                "invalid_request", "domain-model=launchdarkly.semanticpatch");
    }

    @Test
    void bodyThatIsNotJson() {
        refused(segmentWithUsers("u"), "text/plain", "instructions please", 415, "unsupported_media_type", "application/json");
    }

    @Test
    void bodyOverTheLimit() {
        String padding = "x".repeat(1024 * 1024);
        refused(segmentWithUsers("u"), Api.SEMANTIC_PATCH, "{\"comment\": \"" + padding + "\", \"instructions\": []}", 413,
                "request_entity_too_large", "limit");
    }

    @Test
    void pathKeysBreakingTheRules() {
        admin().get("/api/v2/segments/bad%23key/seg/expiring-user-targets/env").then()
                .statusCode(400).body("code", equalTo("invalid_request")).body("message", containsString("project key"));
        admin().get("/api/v2/segments/p/" + "s".repeat(257) + "/expiring-user-targets/env").then()
                .statusCode(400).body("message", containsString("segment key"));
    }

    @Test
    void notFoundNamesWhatIsMissing() {
        Fixture f = segmentWithUsers();
        admin().get("/api/v2/segments/nope-" + f.project() + "/" + f.segment() + "/expiring-user-targets/" + f.environment())
                .then().statusCode(404).body("code", equalTo("not_found")).body("message", containsString("Project"));
        admin().get("/api/v2/segments/" + f.project() + "/" + f.segment() + "/expiring-user-targets/staging")
                .then().statusCode(404).body("message", containsString("Environment \"staging\""));
        admin().contentType(Api.SEMANTIC_PATCH).body("{\"instructions\": [" + json(add("u", FUTURE)) + "]}")
                .patch("/api/v2/segments/" + f.project() + "/missing/expiring-user-targets/" + f.environment())
                .then().statusCode(404).body("message", containsString("Segment \"missing\""));
    }

    @Test
    void unsupportedMethodOnAKnownPath() {
        Fixture f = segmentWithUsers();
        admin().contentType("application/json").body("{}").put(f.expiringPath()).then()
                .statusCode(405).body("code", equalTo("method_not_allowed"));
    }

    static String json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
