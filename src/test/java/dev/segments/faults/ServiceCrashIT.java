package dev.segments.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.dynamo.Table;
import dev.segments.ops.Deadlines;
import dev.segments.segment.Change;
import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.TargetRef;
import dev.segments.segment.TargetType;
import dev.segments.segment.store.SegmentStore;
import dev.segments.testing.Dynalite;
import dev.segments.testing.LambdaRuntime;
import dev.segments.testing.StoreProxy;
import dev.segments.web.AppClock;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The packaged function (target/*-runner.jar, run as AWS's java runtime runs it: under the
 * runtime interface client, polling a stand-in for Lambda's Runtime API) is killed with SIGKILL
 * several times while clients stream writes to one segment large enough to keep its targets in
 * chunk items, and started again. Dynalite keeps running. Most kills land at a chosen point of a
 * write, through a {@link StoreProxy} between the function and the store (see
 * {@link #CRASH_POINTS}); the others at random moments. Afterwards, read straight from the
 * table:
 * <ul>
 * <li>every request's effect is entirely present or entirely absent, and present if it was
 * answered 200 (each request touches users no other request touches, so its effect can be
 * told apart); a present request is in the history exactly once, an absent one not at all;</li>
 * <li>every chunk the head refers to exists;</li>
 * <li>no schedule belongs to a user who is not targeted;</li>
 * <li>{@code version} is the history's length (the audit log: creation is version 1);</li>
 * <li>the API answers reads and writes.</li>
 * </ul>
 * Run with {@code ./mvnw verify -Pfaults}.
 */
@Tag("faults")
class ServiceCrashIT {

    static final String TOKEN = "api-00000000-0000-4000-8000-0000000000c1";
    static final String PATCH_TYPE = "application/json; domain-model=launchdarkly.semanticpatch";
    static final String PROJECT = "crash";
    static final String ENV = "production";
    static final String SEGMENT = "big";
    static final String SEGMENT_PATH = "/api/v2/segments/" + PROJECT + "/" + ENV + "/" + SEGMENT;
    static final String EXPIRING_PATH = "/api/v2/segments/" + PROJECT + "/" + SEGMENT + "/expiring-user-targets/" + ENV;
    /** Users included from the start: enough that the targets no longer fit inline in the head (64 KB). */
    static final int POOL = 3000;
    /** Of those, the first ones also have a schedule from the start, for removals to take along. */
    static final int SCHEDULED = 300;
    static final int PER_REQUEST = 3;
    static final int CLIENTS = 3;
    /**
     * Where each kill lands: at the next DynamoDB request of that operation, before it reaches
     * the store (BatchWriteItem: before a change's new chunks are written; PutItem: chunks
     * written, head not; BatchGetItem: while reading), or, for null, at a random moment. A
     * commit makes no other request: the chunks it superseded are the sweeper's to retire.
     */
    static final List<String> CRASH_POINTS = java.util.Arrays.asList("PutItem", "BatchWriteItem", "BatchWriteItem", null,
            "PutItem", "BatchGetItem", null);
    static final int CRASHES = CRASH_POINTS.size();
    /**
     * The function's timeout the Runtime API stand-in gives each invocation's deadline: longer than
     * the template's 15 s, and far from the 13 s budget used outside Lambda, so that the request
     * lines show which deadline each request kept.
     */
    static final int INVOCATION_TIMEOUT_SECONDS = 30;
    /** The function's output over all its lives in one run. */
    static final Path LOG = Path.of("target", "service-crash.log");
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Kind { ADD_USERS, SCHEDULE, REMOVE_USERS }

    /** A request and what became of it: status, or null when the function died under it or it timed out. */
    record Sent(String id, Kind kind, List<String> users, long date, Integer status) {
    }

    private volatile Process function;
    private final List<String> command = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();

    @Test
    void killedMidStreamAndRestartedEveryInvariantHolds() throws Exception {
        long started = System.nanoTime();
        Path jar = artifact();
        Files.deleteIfExists(LOG);
        Dynalite.Server dynalite = new Dynalite.Server(null);
        AtomicInteger timedOut = new AtomicInteger();
        String table = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        try (DynamoDbClient db = Dynalite.client(dynalite.endpoint()).build();
                LambdaRuntime runtime = new LambdaRuntime(Duration.ofSeconds(INVOCATION_TIMEOUT_SECONDS), failure -> timedOut.incrementAndGet());
                StoreProxy proxy = new StoreProxy(dynalite.endpoint())) {
            new Table(db, table, true).ensureExists();
            SegmentStore store = new SegmentStore(new Table(db, table, false), 90, new AppClock(),
                    new Deadlines(Duration.ofMillis(1500), Duration.ofSeconds(13)));
            SegmentKey key = new SegmentKey(PROJECT, ENV, SEGMENT);
            // The function reaches the store through the proxy, which can kill it at a chosen request.
            prepare(jar, runtime, proxy.endpoint(), table);
            start();
            seed(runtime);
            Segment seeded = store.find(key).orElseThrow();
            assertTrue(chunks(db, table).size() > 1, "the segment should keep its targets in chunks");

            long far = System.currentTimeMillis() + 30L * 86_400_000L;
            AtomicInteger nextRequest = new AtomicInteger();
            AtomicInteger nextScheduled = new AtomicInteger(SCHEDULED);
            AtomicInteger nextRemoved = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    Random random = new Random(client);
                    while (running.get()) {
                        sent.add(send(runtime, nextRequest.getAndIncrement(), random, far, nextScheduled, nextRemoved));
                    }
                    return null;
                }));
            }
            Random chaos = new Random();
            int inFlightAtKills = 0;
            List<Integer> answeredBeforeKill = new ArrayList<>();
            List<String> killedAt = new ArrayList<>();
            for (int crash = 0; crash < CRASHES; crash++) {
                int before = answered(sent);
                // Let writes flow for a while after the (re)start, then kill the function mid-stream.
                do {
                    Thread.sleep(200);
                } while (answered(sent) < before + 10);
                answeredBeforeKill.add(answered(sent));
                String point = CRASH_POINTS.get(crash);
                boolean atPoint = false;
                if (point != null) {
                    Process victim = function;
                    atPoint = proxy.killAt(point, () -> kill(victim), 20_000);
                }
                if (!atPoint) {
                    Thread.sleep(200 + chaos.nextInt(1500));
                    kill(function);
                }
                killedAt.add(atPoint ? point : "random moment");
                inFlightAtKills += runtime.crashed();
                start();
            }
            int before = answered(sent);
            do {
                Thread.sleep(200);
            } while (answered(sent) < before + 10);
            running.set(false);
            for (Future<?> c : clients) {
                c.get();
            }
            pool.shutdown();

            // Invariants, read straight from the table.
            Map<String, AttributeValue> head = db.getItem(g -> g.tableName(table).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS("SEGMENTS#" + PROJECT + "#" + ENV), "sk", AttributeValue.fromS(SEGMENT)))).item();
            List<String> referenced = dev.segments.dynamo.Attributes.stringList(head, "chunks");
            assertFalse(referenced.isEmpty(), "the segment should still keep its targets in chunks");
            Map<String, Map<String, AttributeValue>> chunkItems = chunks(db, table);
            for (String id : referenced) {
                assertTrue(chunkItems.containsKey(id), "the head refers to chunk " + id + ", which is missing");
                assertFalse(chunkItems.get(id).containsKey(Table.TTL), "the head refers to chunk " + id + ", which is retired");
            }
            Segment stored = store.find(key).orElseThrow();
            long unreferenced = chunkItems.keySet().stream().filter(id -> !referenced.contains(id)).count();
            long unreferencedUnretired = chunkItems.entrySet().stream()
                    .filter(e -> !referenced.contains(e.getKey()) && !e.getValue().containsKey(Table.TTL)).count();

            for (TargetRef ref : stored.schedules().keySet()) {
                assertTrue(stored.targets().contains(ref), "schedule for a user who is not targeted: " + ref);
            }
            List<Change> history = store.history(key);
            assertEquals(stored.version(), history.size(), "version = history entries, the creation included");
            for (int i = 0; i < history.size(); i++) {
                assertEquals(i + 1, history.get(i).version(), "history in version order without gaps");
            }
            Map<String, Long> inHistory = history.stream().filter(c -> c.comment() != null)
                    .collect(Collectors.groupingBy(Change::comment, Collectors.counting()));

            int present = 0;
            int absent = 0;
            int unanswered = 0;
            int answered200 = 0;
            for (Sent s : sent) {
                if (s.status() == null) {
                    unanswered++;
                } else {
                    assertEquals(200, s.status().intValue(), "unexpected answer to " + s);
                    answered200++;
                }
                boolean applied = effect(stored, s);
                if (s.status() != null) {
                    assertTrue(applied, "answered 200 but not applied: " + s);
                }
                assertEquals(applied ? 1L : 0L, inHistory.getOrDefault(s.id(), 0L).longValue(), "history entries of " + s);
                if (applied) {
                    present++;
                } else {
                    absent++;
                }
            }
            assertEquals(seeded.version() + present, stored.version(), "one version per applied request");

            // The API still reads and writes.
            JsonNode segment = call(runtime, "GET", SEGMENT_PATH, null, null, 200);
            assertEquals(stored.version(), segment.get("version").asLong());
            call(runtime, "GET", EXPIRING_PATH, null, null, 200);
            String user = "after-restart-user";
            call(runtime, "PATCH", SEGMENT_PATH, PATCH_TYPE, segmentPatch("after-restart", "addIncludedUsers", List.of(user)), 200);
            ObjectNode body = JSON.createObjectNode();
            body.putArray("instructions").addObject().put("kind", "addExpireUserTargetDate").put("targetType", "included")
                    .put("userKey", user).put("value", far + 999);
            body.put("comment", "after-restart-schedule");
            call(runtime, "PATCH", EXPIRING_PATH, PATCH_TYPE, JSON.writeValueAsString(body), 200);
            Segment after = store.find(key).orElseThrow();
            ExpiringTarget written = after.schedules().get(new TargetRef(TargetType.INCLUDED, TargetRef.USER, user));
            assertNotNull(written, "a write after the restarts is stored");
            assertEquals(far + 999, written.expirationDate());

            function.destroyForcibly().waitFor();
            List<Long> deadlines = requestDeadlines();
            assertFalse(deadlines.isEmpty(), "no request lines in " + LOG);
            assertEquals(0, timedOut.get(), "requests that ended in Lambda's timeout instead of an answer");
            for (long deadline : deadlines) {
                // The invocation's deadline less the margin, never the budget used outside Lambda.
                assertTrue(deadline > 20_000 && deadline <= INVOCATION_TIMEOUT_SECONDS * 1000L, "a request had " + deadline + " ms");
            }
            System.out.printf("Service crash: %d PATCHes sent by %d clients to one segment (%d users at the start, %d at "
                            + "the end) kept in %d chunks; %d SIGKILLs injected (at %s, after %s answered requests), %d "
                            + "requests in flight at the kills; %d answered 200, all present; %d unanswered (function killed under them), "
                            + "of which %d entirely present and %d entirely absent; no request half-applied; version %d -> %d "
                            + "= history %d entries (creation included), one per applied request; %d referenced chunks all present, %d unreferenced "
                            + "(%d left unretired by crashes); %d schedules, none without its user; reads and writes work after "
                            + "restart; every request kept its invocation's deadline (%d to %d ms of a %d s timeout); %d ms%n",
                    sent.size(), CLIENTS, POOL, stored.targets().size(), referenced.size(), CRASHES, killedAt, answeredBeforeKill,
                    inFlightAtKills, answered200, unanswered, present - answered200, absent, seeded.version(),
                    stored.version(), history.size(), referenced.size(), unreferenced, unreferencedUnretired,
                    stored.schedules().size(), Collections.min(deadlines), Collections.max(deadlines),
                    INVOCATION_TIMEOUT_SECONDS, (System.nanoTime() - started) / 1_000_000);
        } finally {
            if (function != null) {
                function.destroyForcibly();
            }
            dynalite.kill();
        }
    }

    /** The time each request had before its deadline, from the request lines the function wrote. */
    private static List<Long> requestDeadlines() throws Exception {
        List<Long> deadlines = new ArrayList<>();
        for (String line : Files.readAllLines(LOG)) {
            if (line.startsWith("{") && line.contains("\"event\":\"request\"")) {
                deadlines.add(JSON.readTree(line).get("deadlineMs").asLong());
            }
        }
        return deadlines;
    }

    /** Whether the request's effect is in the segment: entirely (true) or not at all (false); anything else fails. */
    private static boolean effect(Segment stored, Sent s) {
        List<Boolean> parts = new ArrayList<>();
        for (String user : s.users()) {
            TargetRef ref = new TargetRef(TargetType.INCLUDED, TargetRef.USER, user);
            ExpiringTarget schedule = stored.schedules().get(ref);
            switch (s.kind()) {
                case ADD_USERS -> parts.add(stored.targets().contains(ref));
                case SCHEDULE -> {
                    assertTrue(stored.targets().contains(ref), "a scheduling request's user lost: " + user);
                    assertTrue(schedule == null || schedule.expirationDate() == s.date(), "schedule of " + user + " from elsewhere");
                    parts.add(schedule != null);
                }
                case REMOVE_USERS -> {
                    boolean removed = !stored.targets().contains(ref);
                    // Removed users lose their schedule with them; kept users keep theirs.
                    assertEquals(removed, schedule == null, "user " + user + " and its schedule disagree");
                    parts.add(removed);
                }
            }
        }
        assertTrue(parts.stream().distinct().count() == 1, "half-applied request: " + s + " parts " + parts);
        return parts.get(0);
    }

    private Sent send(LambdaRuntime runtime, int n, Random random, long far, AtomicInteger nextScheduled, AtomicInteger nextRemoved)
            throws Exception {
        String id = "req-" + n;
        int roll = random.nextInt(10);
        Kind kind;
        List<String> users = new ArrayList<>();
        String path;
        String body;
        long date = 0;
        if (roll < 2 && nextRemoved.get() + PER_REQUEST <= SCHEDULED) {
            kind = Kind.REMOVE_USERS;
            int first = nextRemoved.getAndAdd(PER_REQUEST);
            for (int i = 0; i < PER_REQUEST; i++) {
                users.add(user(first + i));
            }
            path = SEGMENT_PATH;
            body = segmentPatch(id, "removeIncludedUsers", users);
        } else if (roll < 6 && nextScheduled.get() + PER_REQUEST <= POOL) {
            kind = Kind.SCHEDULE;
            int first = nextScheduled.getAndAdd(PER_REQUEST);
            date = far + n;
            ObjectNode json = JSON.createObjectNode();
            json.put("comment", id);
            ArrayNode instructions = json.putArray("instructions");
            for (int i = 0; i < PER_REQUEST; i++) {
                users.add(user(first + i));
                instructions.addObject().put("kind", "addExpireUserTargetDate").put("targetType", "included")
                        .put("userKey", user(first + i)).put("value", date);
            }
            path = EXPIRING_PATH;
            body = JSON.writeValueAsString(json);
        } else {
            kind = Kind.ADD_USERS;
            for (int i = 0; i < PER_REQUEST; i++) {
                users.add("new-" + n + "-" + i);
            }
            path = SEGMENT_PATH;
            body = segmentPatch(id, "addIncludedUsers", users);
        }
        Integer status;
        try {
            status = runtime.call("PATCH", path, TOKEN, PATCH_TYPE, body, 60).get("statusCode").asInt();
        } catch (Exception diedOrTimedOut) {
            status = null;
        }
        return new Sent(id, kind, users, date, status);
    }

    private static String segmentPatch(String comment, String kind, List<String> users) throws Exception {
        ObjectNode json = JSON.createObjectNode();
        json.put("environmentKey", ENV).put("comment", comment);
        ArrayNode values = json.putArray("instructions").addObject().put("kind", kind).putArray("values");
        users.forEach(values::add);
        return JSON.writeValueAsString(json);
    }

    static String user(int i) {
        return String.format("pool-user-%05d@example.com", i);
    }

    private static int answered(List<Sent> sent) {
        synchronized (sent) {
            return (int) sent.stream().filter(s -> s.status() != null).count();
        }
    }

    /** The project, the segment with {@link #POOL} users, and schedules for the first {@link #SCHEDULED}. */
    private void seed(LambdaRuntime runtime) throws Exception {
        call(runtime, "POST", "/api/v2/projects", "application/json", "{\"key\":\"" + PROJECT + "\",\"name\":\"Crash\","
                + "\"environments\":[{\"key\":\"" + ENV + "\",\"name\":\"Production\",\"color\":\"417505\"}]}", 201);
        call(runtime, "POST", "/api/v2/segments/" + PROJECT + "/" + ENV, "application/json",
                "{\"key\":\"" + SEGMENT + "\",\"name\":\"Big\"}", 201);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            users.add(user(i));
        }
        call(runtime, "PATCH", SEGMENT_PATH, PATCH_TYPE, segmentPatch("seed", "addIncludedUsers", users), 200);
        long date = System.currentTimeMillis() + 60L * 86_400_000L;
        for (int from = 0; from < SCHEDULED; from += 150) {
            ObjectNode json = JSON.createObjectNode();
            ArrayNode instructions = json.putArray("instructions");
            for (int i = from; i < from + 150; i++) {
                instructions.addObject().put("kind", "addExpireUserTargetDate").put("targetType", "included")
                        .put("userKey", user(i)).put("value", date);
            }
            call(runtime, "PATCH", EXPIRING_PATH, PATCH_TYPE, JSON.writeValueAsString(json), 200);
        }
    }

    private static JsonNode call(LambdaRuntime runtime, String method, String path, String type, String body, int status)
            throws Exception {
        JsonNode response = runtime.call(method, path, TOKEN, type, body, 120);
        assertEquals(status, response.get("statusCode").asInt(), response.toString());
        JsonNode payload = response.get("body");
        if (payload == null || payload.isNull()) {
            return JSON.createObjectNode();
        }
        String text = response.path("isBase64Encoded").asBoolean(false)
                ? new String(Base64.getDecoder().decode(payload.asText()), StandardCharsets.UTF_8)
                : payload.asText();
        return text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
    }

    /** Every chunk item of the segment, by id. */
    private static Map<String, Map<String, AttributeValue>> chunks(DynamoDbClient db, String table) {
        Map<String, Map<String, AttributeValue>> chunks = new HashMap<>();
        db.queryPaginator(q -> q.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("CHUNK#" + PROJECT + "#" + ENV + "#" + SEGMENT))))
                .items().forEach(item -> chunks.put(item.get("sk").s(), item));
        return chunks;
    }

    /** Runs the JVM build as AWS's java runtime does: its runtime interface client hosts the handler. */
    private void prepare(Path jar, LambdaRuntime runtime, String endpoint, String table) {
        String runtimeClient = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("aws-lambda-java-runtime-interface-client") || entry.contains("aws-lambda-java-serialization"))
                .collect(Collectors.joining(File.pathSeparator));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar + File.pathSeparator + runtimeClient,
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"));
        runtime.configure(env, table, endpoint, TOKEN, 0);
    }

    private static void kill(Process process) {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void start() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()));
        builder.environment().putAll(env);
        function = builder.start();
    }

    private static Path artifact() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            Path jar = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst().orElse(null);
            assertNotNull(jar, "the packaged function target/*-runner.jar is missing: run ./mvnw verify -Pfaults (it packages first)");
            return jar;
        }
    }
}
