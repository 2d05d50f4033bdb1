package dev.segments.segment.api;

import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.dynamo.RequestCounter;
import dev.segments.dynamo.StoreUnavailable;
import dev.segments.segment.Actor;
import dev.segments.segment.Change;
import dev.segments.segment.Edit;
import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.ExpiringTargetInstruction;
import dev.segments.segment.Expiry;
import dev.segments.segment.Revision;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentInstruction;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentLimits;
import dev.segments.segment.SegmentPatches.PartialOutcome;
import dev.segments.segment.SegmentPatches;
import dev.segments.segment.TargetRef;
import dev.segments.segment.TargetType;
import dev.segments.segment.store.SegmentStore;
import dev.segments.segment.store.WriteConflict;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Api;
import dev.segments.testing.StoreProxy;
import dev.segments.web.AppClock;
import dev.segments.web.Ids;
import dev.segments.web.JsonBody;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Eight clients send 200 PATCHes each to one segment: expiring-user-target adds, updates (with
 * the segment version they just read) and removes, some several to a request, and segment
 * patches that add or remove included users. Every request carries a unique comment, which the
 * history keeps with the version it produced. Afterwards the history is replayed serially,
 * version by version, through the pure core ({@link SegmentPatches}, {@link Expiry}) from the
 * segment as it was before the run; every replayed step must produce exactly the change the
 * service recorded, every changing request's response must show the replayed state of its
 * version, every non-changing one a state that existed, and the stored segment must equal the
 * replay's end.
 *
 * <p>Requests to the Lambda mock event server are handled one at a time (one Lambda poll
 * thread), so HTTP clients alone never race each other in the store. Half of the clients
 * therefore act as other Lambda instances: they run the resource's own code path in-process
 * (the same JSON parsing, core and store calls as {@link ExpiringTargetsResource} and
 * {@link SegmentResource}) from their own threads, so conditional writes really are lost and
 * retried while the HTTP clients write.
 *
 * <p>The store behaves as DynamoDB under AWS does ({@link StoreProxy}): {@link #FAULT_RATE} of
 * all store calls, from the first request on, are faulted by every kind the proxy has (applied
 * with the answer dropped, reset or 500; throttled or 500 without applying; batches cut short).
 * No change may be lost or doubled: a request answered 200 changed the segment exactly once or
 * had nothing to change, a 409 changed nothing, and a 503 changed nothing unless it said its
 * outcome was unknown, and then at most once.
 */
final class MixedWriters {

    static final int CLIENTS = 8;
    static final int REQUESTS_PER_CLIENT = 200;
    static final int USERS = 48;
    static final double FAULT_RATE = 0.05;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SegmentStore store;
    private final AppClock clock;
    private final Ids ids;
    private final boolean nearExpiries;
    private final StoreProxy proxy;

    /** One request as sent and answered. */
    record Sent(String id, boolean segmentPatch, boolean http, JsonNode body, int status, JsonNode response) {
    }

    MixedWriters(SegmentStore store, AppClock clock, Ids ids, boolean nearExpiries, StoreProxy proxy) {
        this.store = store;
        this.clock = clock;
        this.ids = ids;
        this.nearExpiries = nearExpiries;
        this.proxy = proxy;
    }

    static String user(int i) {
        return String.format("user-%02d", i);
    }

    void run(String label) throws Exception {
        long started = System.nanoTime();
        long seed = System.nanoTime();
        proxy.resetCounts();
        proxy.failRandomly(FAULT_RATE, seed, Set.of(), EnumSet.allOf(StoreProxy.Fault.class));
        try {
            runFaulted(label, started, seed);
        } finally {
            proxy.heal();
        }
    }

    private void runFaulted(String label, long started, long seed) throws Exception {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(user(i));
        }
        Fixture f = segmentWithUsers(users.toArray(String[]::new));
        SegmentKey key = new SegmentKey(f.project(), f.environment(), f.segment());
        // Half of the users start with a schedule far in the future, so updates and removes have work from the start.
        long far = System.currentTimeMillis() + 86_400_000L;
        Object[] adds = new Object[USERS / 2];
        for (int i = 0; i < USERS / 2; i++) {
            adds[i] = Api.add(user(i), far);
        }
        Api.patchExpiring(f, adds).then().statusCode(200);
        Segment initial = store.find(key).orElseThrow();

        Map<String, Long> dbBefore = RequestCounter.requests();
        List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            boolean http = c % 2 == 0;
            clients.add(pool.submit(() -> {
                Random random = new Random(seed + client);
                for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                    sent.add(send(f, key, "req-" + client + "-" + i, http, random, far));
                }
                return null;
            }));
        }
        for (Future<?> c : clients) {
            c.get();
        }
        pool.shutdown();
        Map<String, Long> db = RequestCounter.since(dbBefore, RequestCounter.requests());
        Map<String, Long> faults = proxy.faults();
        long storeCalls = proxy.callCount();
        proxy.heal();

        Map<String, Sent> byId = new HashMap<>();
        sent.forEach(s -> byId.put(s.id(), s));
        assertEquals(CLIENTS * REQUESTS_PER_CLIENT, byId.size());
        Map<Integer, Long> answers = new TreeMap<>();
        for (Sent s : sent) {
            assertTrue(s.status() == 200 || s.status() == 409 || s.status() == 503,
                    "unexpected answer " + s.status() + " to " + s.id() + ": " + s.response());
            answers.merge(s.status(), 1L, Long::sum);
        }

        Segment stored = settled(key, far);
        List<Change> history = store.history(key).stream().filter(c -> c.version() > initial.version()).toList();
        assertEquals(stored.version() - initial.version(), history.size(), "one history entry per version step");
        for (int i = 0; i < history.size(); i++) {
            assertEquals(initial.version() + 1 + i, history.get(i).version(), "history in version order without gaps");
        }

        // Replay, version by version.
        AtomicLong placeholder = new AtomicLong();
        Supplier<String> replayIds = () -> "replay-" + placeholder.incrementAndGet();
        IdMapping mapping = new IdMapping();
        Map<Long, Segment> states = new HashMap<>();
        states.put(initial.version(), initial);
        Set<String> itemsSeen = new HashSet<>();
        itemsSeen.add(items(initial));
        Set<String> changingRequests = new HashSet<>();
        int serviceChanges = 0;
        Segment state = initial;
        for (Change recorded : history) {
            Revision replayed;
            if (Change.SERVICE.equals(recorded.actor())) {
                serviceChanges++;
                replayed = Expiry.carryOut(state, recorded.at());
            } else {
                Sent request = byId.get(recorded.comment());
                assertNotNull(request, "history entry " + recorded + " belongs to no request");
                assertTrue(changingRequests.add(request.id()), "request " + request.id() + " changed the segment twice");
                assertTrue(request.status() == 200 || outcomeUnknown(request), "a request that failed changed the segment: "
                        + request.id() + " " + request.status() + " " + request.response());
                Edit edit = new Edit(recorded.at(), recorded.actor(), recorded.comment(), replayIds);
                replayed = request.segmentPatch()
                        ? SegmentPatches.segment(state, Instructions.segment(JsonBody.instructions(request.body(), SegmentLimits.MAX_INSTRUCTIONS)), edit)
                        : SegmentPatches.expiringTargets(state, expiring(request.body()), edit).revision();
            }
            assertEquals(List.of(recorded), replayed.changes(), "replaying version " + recorded.version());
            state = replayed.segment();
            states.put(state.version(), state);
            itemsSeen.add(items(state));
            if (!Change.SERVICE.equals(recorded.actor()) && byId.get(recorded.comment()).status() == 200) {
                Sent request = byId.get(recorded.comment());
                assertShows(state, request);
                mapping.match(state, request);
            }
        }
        int unchanged = 0;
        for (Sent s : sent) {
            if (s.status() == 200 && !changingRequests.contains(s.id())) {
                unchanged++;
                if (s.segmentPatch()) {
                    Segment seen = states.get(s.response().get("version").asLong());
                    assertNotNull(seen, "request " + s.id() + " changed nothing, yet answered a version that never existed");
                    assertShows(seen, s);
                } else {
                    assertTrue(itemsSeen.contains(items(s)), "request " + s.id() + " changed nothing, yet answered a state that never existed");
                }
            }
        }
        if (!nearExpiries) {
            assertEquals(0, serviceChanges, "nothing was due");
        } else {
            assertTrue(serviceChanges > 0, "some schedules should have expired during the run");
        }

        assertEquals(initial.version() + changingRequests.size() + serviceChanges, stored.version(),
                "version = initial + requests that changed something + expiries");
        assertEquals(state.version(), stored.version());
        assertEquals(state.targets(), stored.targets(), "targets");
        assertEquals(state.name(), stored.name());
        assertEquals(state.tags(), stored.tags());
        assertEquals(state.lastModifiedDate(), stored.lastModifiedDate());
        assertEquals(state.schedules().keySet(), stored.schedules().keySet(), "scheduled targets");
        for (ExpiringTarget expected : state.schedules().values()) {
            ExpiringTarget actual = stored.schedules().get(expected.target());
            assertEquals(expected.expirationDate(), actual.expirationDate(), "date of " + expected.target());
            assertEquals(expected.version(), actual.version(), "_version of " + expected.target());
            mapping.check(expected.id(), actual.id());
        }
        for (TargetRef ref : stored.schedules().keySet()) {
            assertTrue(stored.targets().contains(ref), "schedule for a target not in the segment: " + ref);
        }
        // The API shows the same, as of some moment of its read: a schedule may fall due during it.
        long readFrom = clock.millis();
        Set<String> apiIncluded = new HashSet<>(admin().get(f.segmentPath()).then().statusCode(200).extract().path("included"));
        long readTo = clock.millis();
        Set<String> before = new HashSet<>(Expiry.carryOut(stored, readFrom).segment().keys(TargetType.INCLUDED, TargetRef.USER));
        Set<String> after = new HashSet<>(Expiry.carryOut(stored, readTo).segment().keys(TargetType.INCLUDED, TargetRef.USER));
        assertTrue(before.containsAll(apiIncluded) && apiIncluded.containsAll(after),
                "the API shows " + apiIncluded + ", between " + before + " and " + after);

        long httpCount = sent.stream().filter(Sent::http).count();
        long unknownApplied = sent.stream().filter(s -> outcomeUnknown(s) && changingRequests.contains(s.id())).count();
        long seconds = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("Mixed writers (%s): %d PATCHes from %d clients (%d over HTTP, %d in-process) with %.0f%% of %d store "
                        + "calls faulted %s; answers by status %s (%d of the 503s of unknown outcome were applied); "
                        + "%d changed the segment, each exactly once, %d changed nothing, no 409 or known-failed 503 changed "
                        + "anything; %d expiries by the service; version %d -> %d (+%d), %d history entries replayed serially "
                        + "through the core and equal, stored segment equal to the replay; %d conditional head writes sent "
                        + "(SDK retries included) for %d commits; seed %d; %d ms%n",
                label, sent.size(), CLIENTS, httpCount, sent.size() - httpCount, FAULT_RATE * 100, storeCalls, faults, answers,
                unknownApplied, changingRequests.size(), unchanged, serviceChanges, initial.version(), stored.version(),
                stored.version() - initial.version(), history.size(), db.getOrDefault("PutItem", 0L), history.size(), seed,
                seconds);
    }

    /** One request, with its unique id as comment, over HTTP or as another Lambda instance would run it. */
    private Sent send(Fixture f, SegmentKey key, String id, boolean http, Random random, long far) throws Exception {
        int roll = random.nextInt(100);
        boolean segmentPatch = roll >= 80;
        ObjectNode body = JSON.createObjectNode();
        body.put("comment", id);
        ArrayNode instructions = body.putArray("instructions");
        if (segmentPatch) {
            body.put("environmentKey", f.environment());
            instructions.addObject().put("kind", roll >= 90 ? "removeIncludedUsers" : "addIncludedUsers")
                    .putArray("values").add(user(random.nextInt(USERS)));
        } else {
            int count = roll < 10 ? 3 : 1;
            for (int n = 0; n < count; n++) {
                int kind = random.nextInt(10);
                String user = user(random.nextInt(USERS));
                ObjectNode instruction = instructions.addObject();
                instruction.put("targetType", "included").put("userKey", user);
                if (kind < 4) {
                    instruction.put("kind", "addExpireUserTargetDate").put("value", date(random, far));
                } else if (kind < 7) {
                    instruction.put("kind", "updateExpireUserTargetDate").put("value", date(random, far))
                            .put("version", currentVersion(f, key, http));
                } else {
                    instruction.put("kind", "removeExpireUserTargetDate");
                }
            }
        }
        if (http) {
            String path = segmentPatch ? f.segmentPath() : f.expiringPath();
            Response r = admin().contentType(Api.SEMANTIC_PATCH).body(JSON.writeValueAsString(body)).patch(path);
            return new Sent(id, segmentPatch, true, body, r.statusCode(), JSON.readTree(r.asString()));
        }
        Edit edit = new Edit(clock.millis(), new Actor("instance", "instance"), JsonBody.comment(body), ids);
        try {
            if (segmentPatch) {
                var parsed = Instructions.segment(JsonBody.instructions(body, SegmentLimits.MAX_INSTRUCTIONS));
                Revision revision = store.update(key, stored -> SegmentPatches.segment(stored, parsed, edit), Function.identity())
                        .orElseThrow();
                return new Sent(id, true, false, body, 200, SegmentJson.segment(revision.segment()));
            }
            var parsed = expiring(body);
            PartialOutcome outcome = store.update(key, stored -> SegmentPatches.expiringTargets(stored, parsed, edit),
                    PartialOutcome::revision).orElseThrow();
            return new Sent(id, false, false, body, 200,
                    AnswerSizeTest.tree(ExpiringAnswer.patched(outcome.revision(), ExpiringView.USERS, parsed.size(),
                            outcome.errors())));
        } catch (WriteConflict conflict) {
            return new Sent(id, segmentPatch, false, body, 409, JSON.createObjectNode().put("code", "optimistic_locking_error"));
        } catch (StoreUnavailable unavailable) {
            return new Sent(id, segmentPatch, false, body, 503,
                    JSON.createObjectNode().put("code", "service_unavailable").put("message", unavailable.getMessage()));
        }
    }

    /** A 503 whose message says the request may or may not have been applied. */
    private static boolean outcomeUnknown(Sent sent) {
        return sent.status() == 503 && sent.response().path("message").asText().contains("may or may not");
    }

    /**
     * The segment once the sweeper has nothing left to do in it: with near expiries, schedules
     * set in the last two seconds of the run still fall due after it, and an expiry committed
     * between reading the segment and reading its history would make them disagree.
     */
    private Segment settled(SegmentKey key, long far) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Segment stored = store.find(key).orElseThrow();
            boolean due = stored.schedules().values().stream().anyMatch(schedule -> schedule.expirationDate() < far);
            if (!due) {
                return stored;
            }
            assertTrue(System.nanoTime() < deadline, "the sweeper left near schedules for 30 s: " + stored.schedules().values());
            Thread.sleep(100);
        }
    }

    /** Far dates from a few fixed ones (so adds repeat, conflict and update); with near expiries, some 0.3 to 2 s ahead. */
    private long date(Random random, long far) {
        if (nearExpiries && random.nextInt(10) < 4) {
            return clock.millis() + 300 + random.nextInt(1700);
        }
        return far + random.nextInt(4) * 60_000L;
    }

    /** The segment's version as the client reads it just before it sends an update. */
    private long currentVersion(Fixture f, SegmentKey key, boolean http) {
        if (http) {
            return Api.version(f);
        }
        return store.find(key).orElseThrow().version();
    }

    private static List<ExpiringTargetInstruction> expiring(JsonNode body) {
        return Instructions.expiring(ExpiringView.USERS, JsonBody.instructions(body, SegmentLimits.MAX_INSTRUCTIONS));
    }

    /** A state's schedules as a response lists them, without ids (those are compared through {@link IdMapping}). */
    private static String items(Segment segment) {
        return segment.expiringTargets().stream()
                .map(t -> t.target().key() + "@" + t.expirationDate() + "v" + t.version())
                .toList().toString();
    }

    private static String items(Sent sent) {
        List<String> items = new ArrayList<>();
        for (JsonNode item : sent.response().get("items")) {
            items.add(item.get("userKey").asText() + "@" + item.get("expirationDate").asLong() + "v" + item.get("_version").asInt());
        }
        return items.toString();
    }

    /** The response shows exactly this state: its schedules, or (segment patch) its version and included users. */
    private static void assertShows(Segment state, Sent sent) {
        if (sent.segmentPatch()) {
            assertEquals(state.version(), sent.response().get("version").asLong(), "version answered to " + sent.id());
            Set<String> included = new HashSet<>();
            sent.response().get("included").forEach(k -> included.add(k.asText()));
            assertEquals(new HashSet<>(state.keys(TargetType.INCLUDED, TargetRef.USER)), included, "included answered to " + sent.id());
        } else {
            assertEquals(items(state), items(sent), "schedules answered to " + sent.id() + " (version " + state.version() + ")");
        }
    }

    /**
     * Schedule ids are random, so the replay makes up its own; each must stand for exactly one
     * id the service gave, for the life of the schedule.
     */
    private static final class IdMapping {
        private final Map<String, String> toService = new ConcurrentHashMap<>();
        private final Map<String, String> toReplay = new ConcurrentHashMap<>();

        void check(String replayId, String serviceId) {
            String known = toService.putIfAbsent(replayId, serviceId);
            assertEquals(known == null ? serviceId : known, serviceId, "schedule id of " + replayId);
            String back = toReplay.putIfAbsent(serviceId, replayId);
            assertEquals(back == null ? replayId : back, replayId, "one service id for two schedules: " + serviceId);
        }

        void match(Segment state, Sent sent) {
            if (sent.segmentPatch()) {
                return;
            }
            Map<String, String> byUser = new TreeMap<>();
            for (JsonNode item : sent.response().get("items")) {
                byUser.put(item.get("userKey").asText(), item.get("_id").asText());
            }
            for (ExpiringTarget t : state.schedules().values()) {
                String serviceId = byUser.get(t.target().key());
                if (serviceId == null) {
                    fail("response of " + sent.id() + " lacks the schedule of " + t.target().key());
                }
                check(t.id(), serviceId);
            }
        }
    }
}
