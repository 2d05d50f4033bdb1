package dev.segments.web;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.segment.Change;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.TargetType;
import dev.segments.segment.store.SegmentStore;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.FaultyStore;
import dev.segments.testing.ServiceLines;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The store is killed (SIGKILL) while clients write, and started again 12 s later. Requests that
 * cannot be carried through the outage get 503 with Retry-After by their deadline (13 s outside
 * Lambda), inside Lambda's 15 s; afterwards every request answered 200 is in the data, the
 * invariants hold, and writes succeed again. The local event server runs one request at a time,
 * so a client may also wait for the request before its own: the function's own time, from the
 * request lines, is what must stay inside Lambda's timeout.
 */
@QuarkusTest
@TestProfile(FaultyStore.class)
class StoreFaultTest {

    record Outcome(String user, int status, String code, String retryAfter, long millis) {
    }

    @Inject
    SegmentStore store;

    @Test
    void anOutageGives503sAndLosesNothingAnswered200() throws Exception {
        int clients = 2;
        List<String> users = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            for (int i = 0; i < 400; i++) {
                users.add("c" + c + "-" + i);
            }
        }
        Fixture f = segmentWithUsers(users.toArray(String[]::new));
        SegmentKey key = new SegmentKey(f.project(), f.environment(), f.segment());
        long future = System.currentTimeMillis() + 86_400_000L;
        long linesFrom = ServiceLines.end();
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> writers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            writers.add(pool.submit(() -> {
                for (int i = 0; i < 400 && running.get(); i++) {
                    String user = "c" + client + "-" + i;
                    long t = System.nanoTime();
                    Response r = Api.patchExpiring(f, add(user, future));
                    outcomes.add(new Outcome(user, r.statusCode(), r.statusCode() == 200 ? null : r.jsonPath().getString("code"),
                            r.header("Retry-After"), (System.nanoTime() - t) / 1_000_000));
                }
            }));
        }
        Thread.sleep(1000);
        FaultyStore.server.kill();
        // Longer than the SDK's 10 s call timeout: shorter outages are ridden out by its retries.
        Thread.sleep(12_000);
        FaultyStore.server.restart();
        Thread.sleep(1500);
        running.set(false);
        for (Future<?> w : writers) {
            w.get();
        }
        pool.shutdown();

        List<Outcome> failed = outcomes.stream().filter(o -> o.status() != 200).toList();
        assertTrue(!failed.isEmpty(), "the outage should have failed some requests");
        for (Outcome o : failed) {
            assertEquals(503, o.status(), "during the outage: " + o);
            assertEquals("service_unavailable", o.code());
            assertTrue(o.retryAfter() != null, "503 without Retry-After: " + o);
        }
        long slowest = outcomes.stream().mapToLong(Outcome::millis).max().orElse(0);
        double slowestInFunction = ServiceLines.since(linesFrom, "request").stream()
                .mapToDouble(line -> line.get("latencyMs").asDouble()).max().orElse(0);
        assertTrue(slowestInFunction < 15_000, "a request took " + slowestInFunction + " ms; Lambda's timeout is 15 s");

        Segment after = store.find(key).orElseThrow();
        Set<String> scheduled = new HashSet<>();
        after.schedules().keySet().forEach(ref -> scheduled.add(ref.key()));
        for (Outcome o : outcomes) {
            if (o.status() == 200) {
                assertTrue(scheduled.contains(o.user()), "answered 200 but missing: " + o.user());
            }
        }
        assertEquals(new HashSet<>(users), new HashSet<>(after.keys(TargetType.INCLUDED, "user")), "no target lost or added");
        List<Change> history = store.history(key);
        assertEquals(after.version(), history.size(), "one history entry per version, the creation included");
        admin().contentType(Api.SEMANTIC_PATCH).body(java.util.Map.of("instructions", List.of(Api.remove("c0-0"))))
                .patch(f.expiringPath()).then().statusCode(200);
        System.out.printf("Store fault: %d requests, %d answered 503 during the outage, %d answered 200 all present, slowest "
                        + "%.0f ms in the function (%d ms seen by its client)%n",
                outcomes.size(), failed.size(), outcomes.size() - failed.size(), slowestInFunction, slowest);
    }
}
