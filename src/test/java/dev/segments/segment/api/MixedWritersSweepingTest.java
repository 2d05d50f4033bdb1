package dev.segments.segment.api;

import dev.segments.segment.store.SegmentStore;
import dev.segments.testing.StoreFaults;
import dev.segments.web.AppClock;
import dev.segments.web.Ids;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * No lost or doubled updates, 5% of store calls faulted, with the in-process sweeper running (every
 * second in the test profile) and
 * schedules 0.3 to 2 s ahead falling due during the run: the replay also carries out the
 * expiries at the versions and times the service recorded them (see {@link MixedWriters}).
 */
@QuarkusTest
@TestProfile(StoreFaults.Sweeping.class)
class MixedWritersSweepingTest {

    @Inject
    SegmentStore store;

    @Inject
    AppClock clock;

    @Inject
    Ids ids;

    @Test
    void theReplayIncludesTheExpiriesTheServiceCarriedOut() throws Exception {
        new MixedWriters(store, clock, ids, true, StoreFaults.proxy).run("sweeper running, schedules expiring");
    }
}
