package dev.segments.expiry;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.patchExpiring;
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
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sweeper and API writers race on one segment; neither ever loses the other's change. */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class SweeperRaceTest {

    @Inject
    SegmentStore store;

    @Inject
    Sweeper sweeper;

    @Test
    void sweeperAndWritersNeverLoseAChange() throws Exception {
        List<String> expiring = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expiring.add("expiring-" + i);
        }
        Fixture f = segmentWithUsers(expiring.toArray(String[]::new));
        SegmentKey key = new SegmentKey(f.project(), f.environment(), f.segment());
        long start = store.find(key).orElseThrow().version();
        long t0 = System.currentTimeMillis();
        // Due times spread over the next two seconds, so expiries keep falling due while writers write.
        for (int i = 0; i < expiring.size(); i += 10) {
            Object[] adds = new Object[10];
            for (int j = 0; j < 10; j++) {
                adds[j] = add(expiring.get(i + j), t0 + 400 + (i + j) * 60L);
            }
            patchExpiring(f, adds).then().statusCode(200);
        }

        int writers = 4;
        AtomicInteger changing = new AtomicInteger(3);
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            running.add(pool.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    int status = admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(),
                            "instructions", List.of(Map.of("kind", "addIncludedUsers", "values", List.of("w" + writer + "-" + i)))))
                            .patch(f.segmentPath()).statusCode();
                    assertEquals(200, status);
                    changing.incrementAndGet();
                }
            }));
        }
        // An extra sweeper racing the in-process one and the writers.
        running.add(pool.submit(() -> {
            while (System.currentTimeMillis() < t0 + 3000) {
                sweeper.sweep();
            }
        }));
        for (Future<?> r : running) {
            r.get();
        }
        pool.shutdown();
        ExpiryTest.await(() -> store.find(key).orElseThrow().schedules().isEmpty(), 10_000);

        Segment stored = store.find(key).orElseThrow();
        Set<String> expected = new HashSet<>();
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < 10; i++) {
                expected.add("w" + w + "-" + i);
            }
        }
        assertEquals(expected, new HashSet<>(stored.keys(TargetType.INCLUDED, "user")));
        List<Change> since = store.history(key).stream().filter(c -> c.version() > start).toList();
        assertEquals(stored.version() - start, since.size(), "one history entry per version step");
        assertEquals(changing.get(), since.stream().filter(c -> !Change.SERVICE.equals(c.actor())).count(),
                "every API change is in the history exactly once");
        assertTrue(since.stream().anyMatch(c -> Change.SERVICE.equals(c.actor())), "expiries were carried out as service changes");
        for (long v = start + 1; v <= stored.version(); v++) {
            long version = v;
            assertEquals(1, since.stream().filter(c -> c.version() == version).count(), "version " + v);
        }
    }
}
