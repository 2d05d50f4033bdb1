package dev.segments.bench;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.remove;
import static dev.segments.testing.Api.segmentWithUsers;

import dev.segments.dynamo.Attributes;
import dev.segments.dynamo.RequestCounter;
import dev.segments.dynamo.Table;
import dev.segments.segment.Actor;
import dev.segments.segment.Edit;
import dev.segments.segment.ExpiringTargetInstruction;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentPatches.PartialOutcome;
import dev.segments.segment.SegmentPatches;
import dev.segments.segment.TargetRef;
import dev.segments.segment.TargetType;
import dev.segments.segment.store.SegmentStore;
import dev.segments.segment.store.WriteConflict;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Api;
import dev.segments.testing.Dynalite;
import dev.segments.testing.SweeperOff;
import dev.segments.web.Ids;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where a PATCH's time goes, against dynalite on this machine, in one run so that ratios are
 * comparable on a shared, noisy machine. Prints one table; asserts nothing about timings.
 */
@QuarkusTest
@Tag("benchmark")
@QuarkusTestResource(Dynalite.class)
@TestProfile(SweeperOff.class)
class PerformanceBenchmark {

    static final int WARMUP = 30;
    static final int SAMPLES = 200;
    static final long FUTURE = System.currentTimeMillis() + 30L * 86_400_000L;

    @Inject
    Table table;

    @Inject
    SegmentStore store;

    @Inject
    Ids ids;

    final List<String> rows = new ArrayList<>();

    @Test
    void table() throws Exception {
        Fixture small = segmentWithUsers(users("s", 10).toArray(String[]::new));
        Fixture big = bigSegment();

        // 1. Overhead over the store: the PATCH through the Lambda HTTP path vs its bare requests.
        double patchSmall = median(() -> togglePatch(small, "s3"));
        Map<String, AttributeValue> headKey = Attributes.key("SEGMENTS#" + small.project() + "#" + small.environment(), small.segment());
        double bare = median(() -> {
            Map<String, AttributeValue> head = table.client().getItem(g -> g.tableName(table.name()).consistentRead(true).key(headKey)).item();
            long version = Long.parseLong(head.get("version").n());
            Map<String, AttributeValue> next = new java.util.HashMap<>(head);
            next.put("version", AttributeValue.fromN(Long.toString(version + 1)));
            table.client().putItem(p -> p.tableName(table.name()).item(next).conditionExpression("version = :v")
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(version)))));
        });
        double baseline = median(() -> {
            try {
                HTTP.send(HttpRequest.newBuilder(uri(small.expiringPath())).GET().build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        row("same path answered 401 without a token (event server + Lambda adapter, no store), median", ms(baseline), "the harness's share");
        row("PATCH, 1 instruction, 10-user segment (Lambda HTTP path), median", ms(patchSmall), "");
        row("its DynamoDB requests alone (GetItem + conditional PutItem via the SDK), median", ms(bare), "");
        row("overhead ratio", String.format("%.2f", patchSmall / bare), "target <= 1.3");
        row("overhead ratio without the harness's share", String.format("%.2f", (patchSmall - baseline) / bare), "");

        // 2. Requests per PATCH, counted by the SDK interceptor.
        for (int n : new int[] {1, 10, 250}) {
            Fixture f = segmentWithUsers(users("r", n).toArray(String[]::new));
            Object[] instructions = users("r", n).stream().map(u -> add(u, FUTURE)).toArray();
            Map<String, Long> before = RequestCounter.requests();
            Api.patchExpiring(f, instructions).then().statusCode(200);
            row("DynamoDB requests, PATCH of " + n + " instruction(s)", total(RequestCounter.since(before, RequestCounter.requests())), "target <= 2");
        }
        Map<String, Long> before = RequestCounter.requests();
        togglePatch(big, "b7");
        Map<String, Long> bigRequests = RequestCounter.since(before, RequestCounter.requests());
        row("DynamoDB requests, PATCH of 1 instruction on the 15,000-user segment", total(bigRequests), bigRequests.toString());

        // 3. Size independence.
        double patchBig = median(() -> togglePatch(big, "b7"), 40);
        row("PATCH, 1 instruction, 15,000-user segment, median", ms(patchBig), "response carries all 15,000 items");
        row("size ratio (15,000 users / 10 users)", String.format("%.1f", patchBig / patchSmall), "target <= 2");

        // 5. Reads.
        double getBig = median(() -> send(HttpRequest.newBuilder(uri(big.expiringPath())).GET()), 40);
        Map<String, Long> readBefore = RequestCounter.responseBytes();
        admin().get(big.expiringPath()).then().statusCode(200);
        long bytesRead = total(RequestCounter.since(readBefore, RequestCounter.responseBytes()));
        row("GET expiring-user-targets, 15,000 schedules, median", ms(getBig), "");
        row("bytes read from DynamoDB for that GET", String.format("%,d", bytesRead), "");

        // 4. Contention: clients are threads committing through the store, as concurrent Lambda instances do.
        contention(1, 1);
        contention(4, 1);
        contention(16, 1);
        contention(16, 16);

        System.out.println("\nBENCHMARK performance (dynalite in memory, " + Runtime.getRuntime().availableProcessors() + " cores)");
        System.out.println("| measure | value | note |\n|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println();
    }

    private void contention(int clients, int segments) throws Exception {
        List<SegmentKey> keys = new ArrayList<>();
        for (int s = 0; s < segments; s++) {
            Fixture f = segmentWithUsers(users("c", clients).toArray(String[]::new));
            keys.add(new SegmentKey(f.project(), f.environment(), f.segment()));
        }
        int perClient = 40;
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger conflicts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            SegmentKey key = keys.get(c % segments);
            TargetRef user = new TargetRef(TargetType.INCLUDED, "user", "c" + c);
            running.add(pool.submit(() -> {
                for (int i = 0; i < perClient; i++) {
                    ExpiringTargetInstruction instruction = i % 2 == 0 ? new ExpiringTargetInstruction.Add(user, FUTURE + i)
                            : new ExpiringTargetInstruction.Remove(user);
                    Edit edit = new Edit(System.currentTimeMillis(), new Actor("bench", "bench"), null, ids);
                    long t = System.nanoTime();
                    try {
                        store.update(key, s -> SegmentPatches.expiringTargets(s, List.of(instruction), edit), PartialOutcome::revision);
                    } catch (WriteConflict e) {
                        conflicts.incrementAndGet();
                    }
                    latencies.add(System.nanoTime() - t);
                }
            }));
        }
        for (Future<?> r : running) {
            r.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        int total = clients * perClient;
        long applied = keys.stream().mapToLong(k -> store.find(k).orElseThrow().version()).sum();
        row(clients + " clients on " + segments + " segment(s): requests/s, p50, p99", String.format("%.0f/s, %s, %s", total / seconds,
                ms(sorted.get(sorted.size() / 2)), ms(sorted.get((int) (sorted.size() * 0.99)))),
                conflicts.get() + " x 409" + (segments == 1 && clients == 16 ? " (target 0)" : ""));
    }

    private Fixture bigSegment() {
        Fixture f = segmentWithUsers();
        List<String> users = users("b", 15_000);
        for (int from = 0; from < users.size(); from += 1500) {
            admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(), "instructions",
                    List.of(Map.of("kind", "addIncludedUsers", "values", users.subList(from, from + 1500)))))
                    .patch(f.segmentPath()).then().statusCode(200);
        }
        // Every user but b7 is scheduled; the timed PATCHes schedule and cancel b7.
        List<ExpiringTargetInstruction> schedules = users.stream().filter(u -> !u.equals("b7"))
                .map(u -> (ExpiringTargetInstruction) new ExpiringTargetInstruction.Add(new TargetRef(TargetType.INCLUDED, "user", u), FUTURE))
                .toList();
        Edit edit = new Edit(System.currentTimeMillis(), new Actor("bench", "bench"), null, ids);
        store.update(new SegmentKey(f.project(), f.environment(), f.segment()),
                s -> SegmentPatches.expiringTargets(s, schedules, edit), PartialOutcome::revision).orElseThrow();
        return f;
    }

    /** A PATCH that always changes the segment: schedule the user, or cancel their schedule. */
    private final Map<String, Boolean> scheduled = new java.util.concurrent.ConcurrentHashMap<>();

    private void togglePatch(Fixture f, String user) {
        boolean on = scheduled.merge(f.segment() + "/" + user, true, (a, b) -> !a);
        String instruction = on
                ? "{\"kind\":\"addExpireUserTargetDate\",\"targetType\":\"included\",\"userKey\":\"" + user + "\",\"value\":" + (FUTURE + 1) + "}"
                : "{\"kind\":\"removeExpireUserTargetDate\",\"targetType\":\"included\",\"userKey\":\"" + user + "\"}";
        String body = send(HttpRequest.newBuilder(uri(f.expiringPath())).header("Content-Type", Api.SEMANTIC_PATCH)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"instructions\":[" + instruction + "]}")));
        if (!body.contains("\"failedInstructions\":0")) {
            throw new AssertionError("the timed PATCH failed: " + body.substring(0, Math.min(300, body.length())));
        }
    }

    /**
     * Timed calls use the JDK's HTTP client on the same Lambda event server port: RestAssured's
     * per-call work (and the tests' OpenAPI validation) would otherwise dominate what is timed.
     */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static URI uri(String path) {
        return URI.create(RestAssured.baseURI + ":" + RestAssured.port + path);
    }

    static String send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.header("Authorization", Api.ADMIN).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("status " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> users(String prefix, int count) {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add(prefix + i);
        }
        return users;
    }

    private static double median(Runnable call) {
        return median(call, SAMPLES);
    }

    private static double median(Runnable call, int samples) {
        for (int i = 0; i < Math.min(WARMUP, samples); i++) {
            call.run();
        }
        long[] times = new long[samples];
        for (int i = 0; i < samples; i++) {
            long t = System.nanoTime();
            call.run();
            times[i] = System.nanoTime() - t;
        }
        java.util.Arrays.sort(times);
        return times[samples / 2];
    }

    private static String ms(double nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private void row(String measure, Object value, String note) {
        rows.add("| " + measure + " | " + value + " | " + note + " |");
    }
}
