package dev.segments.expiry;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.patchExpiring;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.segment.Change;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.store.SegmentStore;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.StoreFaults;
import dev.segments.testing.StoreProxy;
import dev.segments.web.AppClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sweeper takes the time as it reads each segment, not once for its whole run, and sweeps
 * the due index's shards in parallel: a segment whose write hangs holds up only its own shard.
 */
@QuarkusTest
@TestProfile(StoreFaults.class)
class SweeperTest {

    @Inject
    Sweeper sweeper;

    @Inject
    SegmentStore store;

    @Inject
    AppClock clock;

    @AfterEach
    void reset() {
        clock.use(Clock.systemUTC());
        StoreFaults.proxy.heal();
    }

    @Test
    void aSegmentIsSweptAtTheTimeItIsReadNotAtTheStartOfTheRun() {
        Fixture f = segmentWithUsers("early", "late");
        SegmentKey key = key(f);
        long t0 = System.currentTimeMillis();
        patchExpiring(f, add("early", t0 + 60_000), add("late", t0 + 60_500)).then().statusCode(200);
        // Each reading of this clock is a second later: the run starts at t0 + 60.1 s, when only
        // "early" is due; by the time the segment is read, so is "late".
        clock.use(ticking(t0 + 60_100, 1000));
        sweeper.sweep();
        clock.use(Clock.systemUTC());
        assertTrue(store.find(key).orElseThrow().targets().isEmpty(), "both removals were due when the segment was read");
        List<Change> history = store.history(key);
        Change last = history.get(history.size() - 1);
        assertEquals(Change.SERVICE, last.actor());
        assertEquals(2, last.effects().size(), "one change removing both: " + last.effects());
        assertTrue(last.at() > t0 + 60_500, "recorded at the time it was read");
    }

    @Test
    void aHeadWriteThatHangsHoldsUpOnlyItsOwnShard() throws Exception {
        long t0 = System.currentTimeMillis();
        List<SegmentKey> keys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Fixture f = segmentWithUsers("u");
            patchExpiring(f, add("u", t0 + 60_000)).then().statusCode(200);
            keys.add(key(f));
        }
        clock.use(Clock.fixed(Instant.ofEpochMilli(t0 + 61_000), ZoneOffset.UTC));
        StoreProxy.Hold hold = StoreFaults.proxy.holdNext("PutItem");
        CompletableFuture<Sweeper.Result> sweep = CompletableFuture.supplyAsync(sweeper::sweep);
        assertTrue(hold.awaitArrival(10_000), "the sweep wrote nothing");
        try {
            // The first head write hangs; segments in the other shards are written meanwhile, well
            // before the SDK gives up on the hanging attempt (quarkus.dynamodb.api-call-attempt-timeout, 4 s).
            ExpiryTest.await(() -> swept(keys) > 0, 3_000);
        } finally {
            hold.release();
        }
        sweep.get();
        if (swept(keys) < keys.size()) {
            sweeper.sweep();
        }
        assertEquals(keys.size(), swept(keys), "every due segment written back");
    }

    private long swept(List<SegmentKey> keys) {
        return keys.stream().filter(k -> store.find(k).orElseThrow().targets().isEmpty()).count();
    }

    static SegmentKey key(Fixture f) {
        return new SegmentKey(f.project(), f.environment(), f.segment());
    }

    /** A clock that is {@code step} ms later each time it is read. */
    static Clock ticking(long start, long step) {
        AtomicLong next = new AtomicLong(start);
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public long millis() {
                return next.getAndAdd(step);
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis());
            }
        };
    }
}
