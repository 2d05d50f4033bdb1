package dev.segments.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.ops.Deadlines;
import dev.segments.ops.Metrics;
import dev.segments.segment.Actor;
import dev.segments.segment.Change;
import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.TargetRef;
import dev.segments.segment.TargetType;
import dev.segments.segment.store.SegmentStore;
import dev.segments.testing.Api;
import dev.segments.testing.Dynalite;
import dev.segments.testing.SweeperOff;
import dev.segments.web.AppClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Thousands of segments with a removal due at once, written back by sweeps of the deployed
 * shape (each within one invocation's deadline, the rest left for the next), once with the due
 * index's shards swept one after another and once in parallel. Figures and their ratio come
 * from one run against dynalite.
 */
@QuarkusTest
@Tag("benchmark")
@QuarkusTestResource(Dynalite.class)
@TestProfile(SweeperOff.class)
class SweeperShardsBenchmark {

    static final int SEGMENTS = 2000;
    private static final Actor BENCHMARK = new Actor("benchmark", "benchmark");

    @Inject
    SegmentStore store;

    @Inject
    AppClock clock;

    @Inject
    Metrics metrics;

    @Inject
    Deadlines deadlines;

    @Test
    void thousandsOfDueSegmentsWrittenBack() throws Exception {
        long t0 = System.currentTimeMillis();
        String project = Api.unique("sweep");
        Api.admin().contentType(ContentType.JSON)
                .body(Map.of("key", project, "name", "Sweep", "environments", List.of(
                        Map.of("key", "one-by-one", "name", "One by one", "color", "417505"),
                        Map.of("key", "parallel", "name", "Parallel", "color", "417505"))))
                .post("/api/v2/projects").then().statusCode(201);
        seed(project, "one-by-one", t0 + 60_000);
        seed(project, "parallel", t0 + 120_000);
        double serial = writeBack(new Sweeper(store, clock, metrics, deadlines, 1), t0 + 61_000);
        double parallel = writeBack(new Sweeper(store, clock, metrics, deadlines, SegmentStore.DUE_SHARDS), t0 + 121_000);
        System.out.printf("%nBENCHMARK sweeper shards: %d due segments written back in %.2f s with the %d shards swept one "
                        + "after another (%.0f segments/s), in %.2f s with them swept in parallel (%.0f segments/s): %.1fx%n%n",
                SEGMENTS, serial, SegmentStore.DUE_SHARDS, SEGMENTS / serial, parallel, SEGMENTS / parallel, serial / parallel);
    }

    /** Seconds until every due segment is written back, sweep after sweep. */
    private double writeBack(Sweeper sweeper, long at) {
        clock.use(Clock.fixed(Instant.ofEpochMilli(at), ZoneOffset.UTC));
        try {
            long start = System.nanoTime();
            int segments = 0;
            int sweeps = 0;
            for (Sweeper.Result result = sweeper.sweep(); ; result = sweeper.sweep()) {
                sweeps++;
                segments += result.segments();
                if (result.left() == 0) {
                    break;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(SEGMENTS, segments, "every due segment written back once");
            System.out.printf("Sweeps needed: %d%n", sweeps);
            return seconds;
        } finally {
            clock.use(Clock.systemUTC());
        }
    }

    /** Segments in one environment, each with one user whose removal falls due at {@code due}. */
    private void seed(String project, String environment, long due) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> created = new ArrayList<>();
        for (int i = 0; i < SEGMENTS; i++) {
            SegmentKey key = new SegmentKey(project, environment, "segment-" + i);
            created.add(pool.submit(() -> {
                TargetRef user = new TargetRef(TargetType.INCLUDED, TargetRef.USER, "user");
                long now = System.currentTimeMillis();
                Segment segment = new Segment(key, "Due", null, List.of(), now, now, 1, Set.of(user),
                        Map.of(user, new ExpiringTarget(UUID.randomUUID().toString(), 1, due, user)));
                assertTrue(store.create(segment, Change.creation(segment, BENCHMARK)), "environment " + environment);
            }));
        }
        for (Future<?> f : created) {
            f.get();
        }
        pool.shutdown();
    }
}
