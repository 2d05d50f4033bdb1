package dev.segments.web;

import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever arrives (random and mutated bodies, headers, paths, audit-log and list
 * queries, tokens), the service never answers 5xx, never answers more than Lambda can return, a
 * rejected request changes nothing, and the segment's invariants hold after every request.
 * Some requests push a second segment, with the longest keys, against its bounds. The
 * generator is seeded; a failure prints its seed and case to replay with -Dhostile.seed=N.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class HostileInputTest {

    static final int CASES = Integer.getInteger("hostile.cases", 300);
    static final long FUTURE = System.currentTimeMillis() + 86_400_000L;

    static final String[] HOSTILE_STRINGS = {"", " ", "#", "/", "%", "%2F", "a#b/c%d", "\u0000", "\u202e\u200b", "ключ", "😀",
            "\\", "\"", "'; DROP TABLE", "x".repeat(513), "é".repeat(300), "SEGMENTS#p#e", "..", "null"};
    static final String[] HOSTILE_VALUES = {"null", "true", "[]", "{}", "-1", "0", "1.5", "1e400", "-9223372036854775809",
            "99999999999999999999", "\"1800000000000\"", "[1,2]", "{\"a\":1}", "\"\"", "NaN"};
    static final String[] CONTENT_TYPES = {Api.SEMANTIC_PATCH, Api.SEMANTIC_PATCH, Api.SEMANTIC_PATCH, "application/json",
            "text/plain", "application/x-www-form-urlencoded", "application/json; domain-model=launchdarkly.semanticpatch; charset=UTF-16",
            "APPLICATION/JSON; DOMAIN-MODEL=LAUNCHDARKLY.SEMANTICPATCH"};

    /** Lambda's limit on a response payload, less room for the rest of the response event. */
    static final int LAMBDA_BODY_LIMIT = 6_291_556 - 4096;
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One generated request: {@code raw} sends the path exactly as written (a hostile client
     * does not normalise it); {@code token} replaces the admin token when not null.
     */
    record Request(String method, String path, String contentType, String body, boolean raw, String token) {
        Request(String method, String path, String contentType, String body) {
            this(method, path, contentType, body, false, null);
        }
    }

    /** The segment that requests push against its bounds: the longest keys, and keys of control characters. */
    record Big(Fixture fixture, List<String> users) {
    }

    @Test
    void noInputBreaksTheServiceOrItsData() throws Exception {
        // A fixed default keeps CI deterministic; explore other inputs with -Dhostile.seed=N.
        long seed = Long.getLong("hostile.seed", 424242L);
        Random random = new Random(seed);
        Fixture f = segmentWithUsers("u1", "u2", "u3");
        Api.patchExpiring(f, Api.add("u1", FUTURE)).then().statusCode(200);
        Big big = bigSegment();
        String before = state(f);
        int rejected = 0;
        for (int i = 0; i < CASES; i++) {
            Request request = request(random, f, big);
            String where = "seed " + seed + ", case " + i + ": " + request.method() + " " + abbreviated(request.path()) + " ["
                    + request.contentType() + "] " + (request.body() == null ? "" : abbreviated(request.body()));
            var spec = request.raw() ? RestAssured.given().urlEncodingEnabled(false) : Api.as(null);
            spec = spec.header("Authorization", request.token() == null ? Api.ADMIN : request.token());
            if (request.contentType() != null) {
                spec = spec.contentType(request.contentType());
            }
            if (request.body() != null) {
                spec = spec.body(request.body());
            }
            Response response = spec.request(request.method(), request.path());
            assertTrue(response.statusCode() < 500, where + " -> " + response.statusCode() + " " + abbreviated(response.asString()));
            long answer = JSON.writeValueAsBytes(response.asString()).length;
            assertTrue(answer <= LAMBDA_BODY_LIMIT, where + " -> an answer of " + answer + " bytes in the response event");
            String after = state(f);
            if (response.statusCode() >= 400) {
                rejected++;
                assertEquals(before, after, where + " was rejected but changed the segment");
            }
            before = after;
        }
        JsonPath bigState = Api.admin().get(big.fixture().segmentPath()).then().statusCode(200).extract().jsonPath();
        int bigScheduled = Api.admin().get(big.fixture().expiringPath()).then().statusCode(200).extract().jsonPath().getList("items").size();
        System.out.printf("Hostile input: %d requests (seed %d), %d rejected, no 5xx, invariants held; the big segment ended with"
                + " %d users, %d tags, %d scheduled%n", CASES, seed, rejected, bigState.getList("included").size(),
                bigState.getList("tags").size(), bigScheduled);
    }

    /** The segment and its schedules as a comparable string, after checking the invariants. */
    static String state(Fixture f) {
        JsonPath segment = admin().get(f.segmentPath()).then().statusCode(200).extract().jsonPath();
        JsonPath expiring = admin().get(f.expiringPath()).then().statusCode(200).extract().jsonPath();
        Set<String> included = new HashSet<>(segment.getList("included"));
        Set<String> excluded = new HashSet<>(segment.getList("excluded"));
        Set<String> both = new HashSet<>(included);
        both.retainAll(excluded);
        assertTrue(both.isEmpty(), "keys both included and excluded: " + both);
        List<String> types = expiring.getList("items.targetType");
        List<String> keys = expiring.getList("items.userKey");
        for (int i = 0; i < keys.size(); i++) {
            assertTrue((types.get(i).equals("included") ? included : excluded).contains(keys.get(i)),
                    "a schedule for " + keys.get(i) + " who is not in " + types.get(i));
        }
        assertFalse(segment.getString("name").isEmpty());
        return segment.getLong("version") + " " + segment.getList("included") + " " + segment.getList("excluded") + " "
                + segment.getString("name") + " " + expiring.getList("items");
    }

    static Request request(Random random, Fixture f, Big big) {
        String pathSegment = random.nextInt(5) == 0 ? encode(pick(random, HOSTILE_STRINGS)) : f.segment();
        return switch (random.nextInt(11)) {
            case 0 -> new Request("PATCH", "/api/v2/segments/" + f.project() + "/" + pathSegment + "/expiring-user-targets/" + f.environment(),
                    pick(random, CONTENT_TYPES), mutate(random, "{\"comment\":\"c\",\"instructions\":[{\"kind\":\"updateExpireUserTargetDate\","
                            + "\"targetType\":\"included\",\"userKey\":\"u2\",\"value\":" + FUTURE + ",\"version\":1}]}"));
            case 1 -> new Request("PATCH", "/api/v2/segments/" + f.project() + "/" + pathSegment + "/expiring-targets/" + f.environment(),
                    pick(random, CONTENT_TYPES), mutate(random, "{\"instructions\":[{\"kind\":\"addExpiringTarget\",\"targetType\":\"excluded\","
                            + "\"contextKind\":\"user\",\"contextKey\":\"u3\",\"value\":" + FUTURE + "}]}"));
            case 2 -> new Request("PATCH", "/api/v2/segments/" + f.project() + "/" + f.environment() + "/" + pathSegment,
                    pick(random, CONTENT_TYPES), mutate(random, "{\"environmentKey\":\"" + f.environment() + "\",\"instructions\":"
                            + "[{\"kind\":\"addExcludedUsers\",\"values\":[\"u1\"]}]}"));
            case 3 -> new Request("GET", auditQuery(random, f, big), null, null);
            case 4 -> new Request("GET", listQuery(random, random.nextBoolean() ? f : big.fixture()), null, null);
            case 5 -> growTargets(random, big);
            case 6 -> growSchedules(random, big);
            case 7 -> dotSegments(random, f);
            case 8 -> tokens(random, f);
            case 9 -> new Request("PATCH", "/api/v2/segments/" + f.project() + "/" + f.environment() + "/" + pathSegment,
                    random.nextBoolean() ? "application/json" : pick(random, CONTENT_TYPES), mutate(random, "{\"comment\":\"c\",\"patch\":["
                            + "{\"op\":\"add\",\"path\":\"/excluded/-\",\"value\":\"u4\"},{\"op\":\"test\",\"path\":\"/included/1\",\"value\":\"u2\"},"
                            + "{\"op\":\"remove\",\"path\":\"/included/0\"},{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"N\"}]}"));
            default -> new Request("POST", "/api/v2/segments/" + f.project() + "/" + f.environment(),
                    pick(random, CONTENT_TYPES), mutate(random, "{\"key\":\"" + pick(random, HOSTILE_STRINGS).replace("\"", "") + "\",\"name\":\"N\"}"));
        };
    }

    /** 512 UTF-8 bytes that take the most room in an answer and in the store: control characters. */
    static String worstKey(int i) {
        String unique = Integer.toString(i);
        return unique + "\u0001".repeat(512 - unique.length());
    }

    /** A segment with the longest project, environment and segment keys; its project key is a long run of 'a'. */
    static Big bigSegment() {
        String project = Api.unique("h");
        Fixture big = new Fixture(project + "a".repeat(256 - project.length()), "e".repeat(256), "s".repeat(256));
        Api.admin().contentType(ContentType.JSON).body(java.util.Map.of("key", big.project(), "name", "P", "environments",
                List.of(java.util.Map.of("key", big.environment(), "name", "E", "color", "417505")))).post("/api/v2/projects").then().statusCode(201);
        Api.admin().contentType(ContentType.JSON).body(java.util.Map.of("key", big.segment(), "name", "S"))
                .post("/api/v2/segments/" + big.project() + "/" + big.environment()).then().statusCode(201);
        List<String> users = java.util.stream.IntStream.range(0, 2_000).mapToObj(HostileInputTest::worstKey).toList();
        // Close to its bounds from the start (about 1,455 such users and 1,134 schedules fit), so that requests cross them.
        for (int from = 0; from < 1_200; from += 300) {
            Api.admin().contentType(Api.SEMANTIC_PATCH).body(java.util.Map.of("environmentKey", big.environment(), "instructions",
                    List.of(java.util.Map.of("kind", "addIncludedUsers", "values", users.subList(from, from + 300)))))
                    .patch(big.segmentPath()).then().statusCode(200);
        }
        for (int from = 0; from < 900; from += 225) {
            Api.patchExpiring(big, users.subList(from, from + 225).stream().map(u -> Api.add(u, FUTURE)).toArray())
                    .then().statusCode(200);
        }
        return new Big(big, users);
    }

    /** Adds many long keys or tags at once to the big segment, towards (and past) its bounds. */
    static Request growTargets(Random random, Big big) {
        int from = random.nextInt(big.users().size() - 300);
        int count = pick(random, new int[] {1, 50, 300});
        String instruction = switch (random.nextInt(3)) {
            case 0 -> "{\"kind\":\"addIncludedUsers\",\"values\":" + strings(big.users().subList(from, from + count)) + "}";
            case 1 -> "{\"kind\":\"addIncludedTargets\",\"contextKind\":\"" + "k".repeat(64) + "\",\"values\":"
                    + strings(big.users().subList(from, from + count)) + "}";
            default -> "{\"kind\":\"addTags\",\"values\":" + strings(java.util.stream.IntStream.range(0, count)
                    .mapToObj(i -> ("t" + random.nextInt(1000) + "-").repeat(32).substring(0, 64)).distinct().toList()) + "}";
        };
        return new Request("PATCH", big.fixture().segmentPath(), Api.SEMANTIC_PATCH, "{\"environmentKey\":\"" + big.fixture().environment()
                + "\",\"comment\":\"" + escape("\u0001".repeat(random.nextInt(4097))) + "\",\"instructions\":[" + instruction + "]}");
    }

    /** Schedules removals of up to 250 long keys of the big segment (most of them in it), towards its answer bound. */
    static Request growSchedules(Random random, Big big) {
        int from = random.nextInt(big.users().size() - 250);
        List<String> adds = new ArrayList<>();
        for (String user : big.users().subList(from, from + 1 + random.nextInt(250))) {
            adds.add("{\"kind\":\"addExpireUserTargetDate\",\"targetType\":\"included\",\"userKey\":\"" + escape(user)
                    + "\",\"value\":" + FUTURE + "}");
        }
        return new Request("PATCH", big.fixture().expiringPath(), Api.SEMANTIC_PATCH, "{\"instructions\":[" + String.join(",", adds) + "]}");
    }

    /** A path with a dot segment, plain or percent-encoded, sent exactly as written. */
    static Request dotSegments(Random random, Fixture f) {
        String dots = pick(random, new String[] {"..", "%2e%2e", "%2E%2e", ".%2e", "%2e", ".", "%2e%2e%2f", "..%2f"});
        String path = pick(random, new String[] {"/api/v2/" + dots + "/" + dots + "/internal/sweep", "/api/v2/segments/" + dots + "/"
                + f.project() + "/" + f.environment(), f.segmentPath() + "/" + dots, "/api/v2/" + dots + "/api/v2/tokens"});
        return new Request(pick(random, new String[] {"GET", "POST", "PATCH", "DELETE"}), path, null, null, true, null);
    }

    /** Tokens named as the service names itself, or requests with hostile Authorization values. */
    static Request tokens(Random random, Fixture f) {
        if (random.nextBoolean()) {
            String name = pick(random, new String[] {"service", " SERVICE ", "Expiry service", "bootstrap admin", "\u0001".repeat(256),
                    pick(random, HOSTILE_STRINGS)});
            return new Request("POST", "/api/v2/tokens", "application/json", "{\"name\":\"" + escape(name) + "\",\"role\":\"reader\"}");
        }
        String token = pick(random, new String[] {"", "Bearer", "Bearer  ", "api-" + "0".repeat(36), "x".repeat(5000),
                "api-00000000-0000-4000-8000-00000000000" + random.nextInt(10), pick(random, HOSTILE_STRINGS)});
        return new Request("GET", f.segmentPath(), null, null, false, token.isEmpty() ? " " : token);
    }

    /** A segment list query with hostile limit, offset, sort and filter values. */
    static String listQuery(Random random, Fixture f) {
        String[] numbers = {"0", "1", "20", "50", "51", "-1", "99999999999999999999", "1e3", " 5", pick(random, HOSTILE_STRINGS)};
        String[] sorts = {"name", "-name", "creationDate,-lastModified", "-", ",", "name,", "colour", pick(random, HOSTILE_STRINGS)};
        String[] filters = {"tags anyOf [\"a\"]", "query equals \"s\"", "query equals [\"a\",\"b\"] | tags anyOf []",
                "((((((((((query equals \"a\"))))))))))", "(".repeat(700), "unbounded equals false,excludedKeys anyOf [\"x\"]",
                "external exists true", "view equals \"x\"", "query equals \"\\u00", "tags anyOf [\"a\",]", "query equals \"a\" |",
                "x".repeat(2001), pick(random, HOSTILE_STRINGS)};
        List<String> query = new ArrayList<>();
        for (String[] parameter : new String[][] {{"limit", pick(random, numbers)}, {"offset", pick(random, numbers)},
                {"sort", pick(random, sorts)}, {"filter", pick(random, filters)}}) {
            if (random.nextBoolean()) {
                query.add(parameter[0] + "=" + encode(parameter[1]));
            }
        }
        return "/api/v2/segments/" + f.project() + "/" + f.environment() + (query.isEmpty() ? "" : "?" + String.join("&", query));
    }

    /** An audit log query with hostile values in any of its parameters, and wildcards that would backtrack against a long key. */
    static String auditQuery(Random random, Fixture f, Big big) {
        String[] specs = {"proj/" + f.project() + ":env/*:segment/*", "proj/*", "proj/" + f.project() + ":env/" + f.environment() + ":segment/"
                + f.segment(), "proj/x;tag:env/y", "proj/:env/", "segment/" + f.segment(), pick(random, HOSTILE_STRINGS),
                "proj/" + "*a".repeat(1 + random.nextInt(60)) + "*b", "proj/" + big.fixture().project().substring(0, 5) + "*a*a*a*a*a*a*a*a*a*a:env/*"};
        String[] numbers = {"0", "1", "20", "21", "-1", "99999999999999999999", "1e3", "0x10", " 5", pick(random, HOSTILE_STRINGS)};
        String[] cursors = {"bm9wZQ", "MDAwMDAwMDAwMDAwMCNhI2IjYyNkIzAwMDAwMDAwMDAwMQ", "====", pick(random, HOSTILE_STRINGS)};
        List<String> query = new ArrayList<>();
        if (random.nextBoolean()) {
            query.add("spec=" + encode(pick(random, specs)));
        }
        for (String name : new String[] {"limit", "before", "after"}) {
            if (random.nextInt(3) == 0) {
                query.add(name + "=" + encode(pick(random, numbers)));
            }
        }
        if (random.nextInt(4) == 0) {
            query.add("cursor=" + encode(pick(random, cursors)));
        }
        if (random.nextInt(4) == 0) {
            query.add("q=" + encode(pick(random, HOSTILE_STRINGS)));
        }
        return "/api/v2/auditlog" + (query.isEmpty() ? "" : "?" + String.join("&", query));
    }

    /** One random mutation of a valid body: a hostile value, a broken structure, or a size or depth attack. */
    static String mutate(Random random, String body) {
        List<int[]> values = new ArrayList<>();
        var matcher = java.util.regex.Pattern.compile(":(\"[^\"]*\"|-?\\d+)").matcher(body);
        while (matcher.find()) {
            values.add(new int[] {matcher.start(1), matcher.end(1)});
        }
        return switch (random.nextInt(9)) {
            case 0, 1, 2 -> {
                int[] v = values.get(random.nextInt(values.size()));
                String replacement = random.nextBoolean() ? pick(random, HOSTILE_VALUES) : "\"" + escape(pick(random, HOSTILE_STRINGS)) + "\"";
                yield body.substring(0, v[0]) + replacement + body.substring(v[1]);
            }
            case 3 -> body.substring(0, random.nextInt(body.length()));
            case 4 -> body.replaceFirst("\\{", "{\"instructions\":[],");
            case 5 -> "[".repeat(2000 + random.nextInt(3000)) + "]".repeat(10);
            case 6 -> "{\"comment\":\"" + "x".repeat(random.nextBoolean() ? 1_100_000 : 2_500_000) + "\",\"instructions\":[]}";
            case 7 -> body.replace("\"kind\"", "\"kind\":\"" + escape(pick(random, HOSTILE_STRINGS)) + "\",\"ignored\"");
            default -> body;
        };
    }

    static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }

    static int pick(Random random, int[] options) {
        return options[random.nextInt(options.length)];
    }

    static String strings(List<String> values) {
        return values.stream().map(v -> "\"" + escape(v) + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    static String abbreviated(String text) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "…" : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
