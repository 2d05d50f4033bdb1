package dev.segments.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.lambda.ExecutionEnvironment.Invocation;
import dev.segments.testing.LambdaRuntime.InvocationFailed;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.zip.GZIPInputStream;

/**
 * The largest segment the service accepts, taken through the packaged function in Lambda's
 * shape: 15,000 users added, every one scheduled, a schedule changed, read back (also
 * gzip-compressed), and all removals swept through the schedule's event once due.
 *
 * <p>Every answer must be a success or a clean refusal (a 4xx with LaunchDarkly's
 * {@code {code, message}} that wrote nothing, or a per-instruction error); an OOM kill, a
 * timeout, a response over Lambda's payload cap or a 5xx fails the run at the step it
 * happened. Reads must still work afterwards.
 */
final class LargestSegment {

    static final int USERS = 15_000;
    static final String PATCH_TYPE = "application/json; domain-model=launchdarkly.semanticpatch";
    static final String PROJECT = "shape";
    static final String ENV = "production";
    static final String SEGMENT = "largest";
    static final String SEGMENT_PATH = "/api/v2/segments/" + PROJECT + "/" + ENV + "/" + SEGMENT;
    static final String USERS_PATH = "/api/v2/segments/" + PROJECT + "/" + SEGMENT + "/expiring-user-targets/" + ENV;
    static final String CONTEXTS_PATH = "/api/v2/segments/" + PROJECT + "/" + SEGMENT + "/expiring-targets/" + ENV;
    /** The request body limit is 1 MiB; stay well under it. */
    static final int BODY_BUDGET = 900_000;
    static final int INSTRUCTIONS_PER_REQUEST = 250;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** User keys: short ones, or the longest allowed (512 UTF-8 bytes, some of them two-byte characters). */
    enum Keys {
        SHORT(i -> String.format("user-%05d@example.com", i)),
        LONGEST(i -> String.format("user-%05d-", i) + "ü".repeat(250) + "x");

        final IntFunction<String> key;

        Keys(IntFunction<String> key) {
            this.key = key;
        }

        int bytes() {
            return key.apply(0).getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** What the run saw: steps' counts and the largest payload and slowest invocation per step. */
    record Report(int accepted, int scheduled, int expired, int refusals, Map<String, String> steps) {
    }

    private final ExecutionEnvironment function;
    private final String token;
    private final Keys keys;
    private final long dueDelayMillis;
    private final Map<String, String> steps = new LinkedHashMap<>();
    private final List<String> accepted = new ArrayList<>();
    private final List<String> scheduled = new ArrayList<>();
    private long version;
    private int refusals;
    private int expired;
    /** The current step's invocations, largest response payload and slowest duration. */
    private int invocations;
    private int largestPayload;
    private long slowest;

    /**
     * @param dueDelayMillis how long after the scheduling starts the removals fall due: the
     *     adds, schedules, patches and reads must be done by then, and the sweep waits for it
     */
    LargestSegment(ExecutionEnvironment function, String token, Keys keys, long dueDelayMillis) {
        this.function = function;
        this.token = token;
        this.keys = keys;
        this.dueDelayMillis = dueDelayMillis;
    }

    /** The whole scenario: build the segment, patch it, read it, and sweep it once its removals fall due. */
    Report run() throws Exception {
        long due = System.currentTimeMillis() + dueDelayMillis;
        build(due);
        patchOne(due);
        readBack();
        long margin = due - System.currentTimeMillis();
        assertTrue(margin > 2_000, "the removals fell due (" + (-margin) + " ms ago) before the reads were done: the run is slower "
                + "than -Dshape.dueSeconds=" + dueDelayMillis / 1000 + " allows; raise it");
        sweep(due);
        readAfterSweep();
        return new Report(accepted.size(), scheduled.size(), expired, refusals, steps);
    }

    /** The project, the segment, its 15,000 users, and a schedule for each one accepted, due at {@code due}. */
    void build(long due) throws Exception {
        step("create", () -> {
            expect(201, call("POST", "/api/v2/projects", "application/json", "{\"key\":\"" + PROJECT + "\",\"name\":\"Shape\","
                    + "\"environments\":[{\"key\":\"" + ENV + "\",\"name\":\"Production\",\"color\":\"417505\"}]}"));
            version = expect(201, call("POST", "/api/v2/segments/" + PROJECT + "/" + ENV, "application/json",
                    "{\"key\":\"" + SEGMENT + "\",\"name\":\"Largest\"}")).json().get("version").asLong();
            return "project and segment";
        });

        step("add users", () -> {
            int perRequest = Math.min(USERS, BODY_BUDGET / (keys.bytes() + 3));
            for (int from = 0; from < USERS; from += perRequest) {
                List<String> batch = new ArrayList<>();
                for (int i = from; i < Math.min(USERS, from + perRequest); i++) {
                    batch.add(keys.key.apply(i));
                }
                ObjectNode body = JSON.createObjectNode().put("environmentKey", ENV);
                ArrayNode values = body.putArray("instructions").addObject().put("kind", "addIncludedUsers").putArray("values");
                batch.forEach(values::add);
                Reply reply = call("PATCH", SEGMENT_PATH, PATCH_TYPE, JSON.writeValueAsString(body));
                if (refused(reply)) {
                    assertEquals(version, version(), "a refused add changed the segment: " + reply);
                } else {
                    version = expect(200, reply).json().get("version").asLong();
                    accepted.addAll(batch);
                }
            }
            return accepted.size() + " of " + USERS + " users in";
        });

        step("schedule every user", () -> {
            for (int from = 0; from < accepted.size(); from += INSTRUCTIONS_PER_REQUEST) {
                List<String> batch = accepted.subList(from, Math.min(accepted.size(), from + INSTRUCTIONS_PER_REQUEST));
                ObjectNode body = JSON.createObjectNode();
                ArrayNode instructions = body.putArray("instructions");
                batch.forEach(user -> instructions.addObject().put("kind", "addExpireUserTargetDate").put("targetType", "included")
                        .put("userKey", user).put("value", due));
                int before = scheduled.size();
                Reply reply = call("PATCH", USERS_PATH, PATCH_TYPE, JSON.writeValueAsString(body));
                if (refused(reply)) {
                    assertEquals(before, items(USERS_PATH), "a refused schedule request changed the schedules: " + reply);
                    continue;
                }
                List<Integer> failed = new ArrayList<>();
                for (JsonNode error : expect(200, reply).json().get("errors")) {
                    assertTrue(error.has("instructionIndex") && error.path("message").isTextual(), "unclear instruction error: " + error);
                    failed.add(error.get("instructionIndex").asInt());
                    refusals++;
                }
                for (int i = 0; i < batch.size(); i++) {
                    if (!failed.contains(i)) {
                        scheduled.add(batch.get(i));
                    }
                }
                assertEquals(scheduled.size(), reply.json().get("items").size(), "the answer lists every schedule");
            }
            return scheduled.size() + " scheduled";
        });
    }

    /** One schedule on the full segment removed, then added back. */
    void patchOne(long due) throws Exception {
        step("patch the full segment", () -> {
            if (scheduled.isEmpty()) {
                return "nothing scheduled";
            }
            String user = scheduled.get(0);
            Reply removed = expect(200, call("PATCH", USERS_PATH, PATCH_TYPE, "{\"instructions\":[{\"kind\":\"removeExpireUserTargetDate\","
                    + "\"targetType\":\"included\",\"userKey\":" + JSON.writeValueAsString(user) + "}]}"));
            assertEquals(0, removed.json().get("failedInstructions").asInt(), removed.toString());
            Reply added = expect(200, call("PATCH", USERS_PATH, PATCH_TYPE, "{\"instructions\":[{\"kind\":\"addExpireUserTargetDate\","
                    + "\"targetType\":\"included\",\"userKey\":" + JSON.writeValueAsString(user) + ",\"value\":" + due + "}]}"));
            assertEquals(0, added.json().get("failedInstructions").asInt(), added.toString());
            return "one schedule removed and added back";
        });
    }

    /** Every read of the segment, and one compressed. */
    void readBack() throws Exception {
        step("read", () -> {
            assertEquals(scheduled.size(), items(USERS_PATH));
            assertEquals(scheduled.size(), items(CONTEXTS_PATH));
            JsonNode segment = expect(200, call("GET", SEGMENT_PATH, null, null)).json();
            assertEquals(accepted.size(), segment.get("included").size());
            expect(200, call("GET", "/api/v2/segments/" + PROJECT + "/" + ENV, null, null));
            Reply gzipped = gzipped(USERS_PATH);
            assertEquals(scheduled.size(), gzipped.json().get("items").size());
            return "expiring user targets, expiring targets, segment, list; gzip " + gzipped.payloadBytes() + " bytes";
        });
    }

    /** Once the removals are due, the schedule's sweep event writes them all back. */
    void sweep(long due) throws Exception {
        step("sweep", () -> {
            Thread.sleep(Math.max(0, due + 1_000 - System.currentTimeMillis()));
            String event;
            try (InputStream in = LargestSegment.class.getResourceAsStream("/sweep-event.json")) {
                event = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (int sweep = 0; sweep < 5 && expired < scheduled.size(); sweep++) {
                Reply reply = expect(200, reply("sweep", function.invoke(event)));
                expired += reply.json().get("expired").asInt();
            }
            assertEquals(scheduled.size(), expired, "the sweeps carried out " + expired + " of " + scheduled.size()
                    + " due removals; see the function's log");
            return expired + " removals written back";
        });
    }

    void readAfterSweep() throws Exception {
        step("read after the sweep", () -> {
            assertEquals(0, items(USERS_PATH));
            JsonNode segment = expect(200, call("GET", SEGMENT_PATH, null, null)).json();
            assertEquals(accepted.size() - scheduled.size(), segment.get("included").size());
            return "no schedules left, " + segment.get("included").size() + " users left";
        });
    }

    /** The function's answer to one request: status, headers, decoded body. */
    record Reply(String what, int status, Map<String, String> headers, byte[] body, int payloadBytes) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError(what + " answered " + status + " with a body that is not JSON", e);
            }
        }

        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return what + " -> " + status + " " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }
    }

    private interface Step {
        String run() throws Exception;
    }

    /** Runs a step; an invocation Lambda would fail fails the run, naming the step. */
    private void step(String name, Step step) throws Exception {
        invocations = 0;
        largestPayload = 0;
        slowest = 0;
        long started = System.nanoTime();
        String outcome;
        try {
            outcome = step.run();
        } catch (InvocationFailed failed) {
            throw new AssertionError("Lambda would have failed an invocation in step \"" + name + "\" (" + keys + " keys, "
                    + function.memoryMb() + " MB): " + failed.getMessage(), failed);
        }
        steps.put(name, String.format("%s; %d invocations in %.1f s, largest payload %,d bytes, slowest %d ms", outcome, invocations,
                (System.nanoTime() - started) / 1e9, largestPayload, slowest / 1_000_000));
    }

    private Reply call(String method, String path, String contentType, String body) throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("authorization", token);
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        return reply(method + " " + path, function.send(method, path, headers, body));
    }

    /** A GET with Accept-Encoding: gzip, whose response event must carry the gzip body in base64. */
    private Reply gzipped(String path) throws Exception {
        Reply reply = reply("GET " + path + " (gzip)", function.send("GET", path, Map.of("authorization", token, "accept-encoding", "gzip"), null));
        expect(200, reply);
        assertEquals("gzip", reply.headers().get("content-encoding"), "a gzip-accepting caller gets gzip: " + reply.headers());
        return reply;
    }

    private Reply reply(String what, Invocation invocation) throws IOException {
        invocations++;
        largestPayload = Math.max(largestPayload, invocation.answer().payloadBytes());
        slowest = Math.max(slowest, invocation.answer().durationNanos());
        JsonNode event = invocation.answer().response();
        Map<String, String> headers = new HashMap<>();
        event.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue().asText()));
        String text = event.path("body").asText("");
        byte[] body = event.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
        if ("gzip".equals(headers.get("content-encoding"))) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            }
        }
        Reply reply = new Reply(what, event.path("statusCode").asInt(), headers, body, invocation.answer().payloadBytes());
        if (reply.status() >= 500) {
            throw new AssertionError("a 5xx, not a clean answer: " + reply);
        }
        return reply;
    }

    /** A 4xx must be a clean LaunchDarkly-style refusal: {code, message}. */
    private boolean refused(Reply reply) {
        if (reply.status() < 400) {
            return false;
        }
        JsonNode json = reply.json();
        assertTrue(json.path("code").isTextual() && json.path("message").isTextual(), "not a clean refusal: " + reply);
        refusals++;
        return true;
    }

    private static Reply expect(int status, Reply reply) {
        assertEquals(status, reply.status(), reply.toString());
        return reply;
    }

    private long version() throws Exception {
        return expect(200, call("GET", SEGMENT_PATH, null, null)).json().get("version").asLong();
    }

    private int items(String path) throws Exception {
        return expect(200, call("GET", path, null, null)).json().get("items").size();
    }
}
