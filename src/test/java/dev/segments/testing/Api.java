package dev.segments.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/** Calls the API as a LaunchDarkly client would, every response checked by {@link Contract}. */
public final class Api {

    /** The bootstrap admin token of the test profile (application.properties). */
    public static final String ADMIN = "api-00000000-0000-4000-8000-000000000001";
    public static final String SEMANTIC_PATCH = "application/json; domain-model=launchdarkly.semanticpatch";
    private static final Contract CONTRACT = new Contract();

    private Api() {
    }

    public static RequestSpecification as(String token) {
        RequestSpecification spec = given().filter(CONTRACT);
        return token == null ? spec : spec.header("Authorization", token);
    }

    public static RequestSpecification admin() {
        return as(ADMIN);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A project with one environment and one segment that includes the given users. */
    public record Fixture(String project, String environment, String segment) {
        public String segmentPath() {
            return "/api/v2/segments/" + project + "/" + environment + "/" + segment;
        }

        public String expiringPath() {
            return "/api/v2/segments/" + project + "/" + segment + "/expiring-user-targets/" + environment;
        }
    }

    public static Fixture segmentWithUsers(String... users) {
        Fixture f = new Fixture(unique("proj"), "production", unique("seg"));
        admin().contentType(ContentType.JSON)
                .body(Map.of("key", f.project(), "name", "Project", "environments",
                        List.of(Map.of("key", f.environment(), "name", "Production", "color", "417505"))))
                .post("/api/v2/projects").then().statusCode(201);
        admin().contentType(ContentType.JSON).body(Map.of("key", f.segment(), "name", "Segment"))
                .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(201);
        if (users.length > 0) {
            admin().contentType(SEMANTIC_PATCH)
                    .body(Map.of("environmentKey", f.environment(), "instructions",
                            List.of(Map.of("kind", "addIncludedUsers", "values", List.of(users)))))
                    .patch(f.segmentPath()).then().statusCode(200);
        }
        return f;
    }

    public static Map<String, Object> add(String user, long value) {
        return Map.of("kind", "addExpireUserTargetDate", "targetType", "included", "userKey", user, "value", value);
    }

    /**
     * Ten of {@code users} spread over them from {@code first}: on a chunked segment their
     * schedules take the head's patch past the bound above which its buckets' chunks are written
     * along with the head, and stay within its limit.
     */
    public static List<String> spread(List<String> users, int first) {
        return IntStream.range(0, 10).mapToObj(i -> users.get(first + 331 * i)).toList();
    }

    /** An instruction scheduling each of {@code users}' removal at {@code value}. */
    public static Object[] addAll(List<String> users, long value) {
        return users.stream().map(user -> add(user, value)).toArray();
    }

    public static Map<String, Object> update(String user, long value, long version) {
        return Map.of("kind", "updateExpireUserTargetDate", "targetType", "included", "userKey", user, "value", value,
                "version", version);
    }

    public static Map<String, Object> remove(String user) {
        return Map.of("kind", "removeExpireUserTargetDate", "targetType", "included", "userKey", user);
    }

    public static io.restassured.response.Response patchExpiring(Fixture f, Object... instructions) {
        return admin().contentType(SEMANTIC_PATCH).body(Map.of("instructions", List.of(instructions)))
                .patch(f.expiringPath());
    }

    public static long version(Fixture f) {
        return admin().get(f.segmentPath()).then().statusCode(200).extract().jsonPath().getLong("version");
    }
}
