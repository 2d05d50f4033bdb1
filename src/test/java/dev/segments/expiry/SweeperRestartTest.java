package dev.segments.expiry;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.patchExpiring;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.hamcrest.Matchers.empty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.segment.SegmentKey;
import dev.segments.segment.store.SegmentStore;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import dev.segments.testing.SweeperOff;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Due work survives the service being down: it is found from the stored due index, not from
 * memory. The service here runs without its sweeper (as while stopped); starting the sweeper,
 * as a restart does, carries out what fell due meanwhile.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
@TestProfile(SweeperOff.class)
class SweeperRestartTest {

    @Inject
    SegmentStore store;

    @Inject
    LocalSweeper localSweeper;

    @Test
    void removalsThatFellDueWhileNoSweeperRanAreCarriedOutWhenItStarts() throws Exception {
        Fixture f = segmentWithUsers("a", "b");
        SegmentKey key = new SegmentKey(f.project(), f.environment(), f.segment());
        long due = System.currentTimeMillis() + 500;
        patchExpiring(f, add("a", due), add("b", due + 100)).then().statusCode(200);
        Thread.sleep(1200);
        assertEquals(2, store.find(key).orElseThrow().schedules().size(), "nothing swept while no sweeper ran");
        admin().get(f.expiringPath()).then().statusCode(200).body("items", empty());

        localSweeper.start();
        try {
            ExpiryTest.await(() -> store.find(key).orElseThrow().targets().isEmpty(), 10_000);
        } finally {
            localSweeper.stop();
        }
        assertTrue(store.find(key).orElseThrow().schedules().isEmpty());
    }
}
