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
 * No lost or doubled updates: eight mixed writers on one segment, 5% of store calls faulted, replayed
 * serially (see {@link MixedWriters}); no sweeper, nothing due.
 */
@QuarkusTest
@TestProfile(StoreFaults.class)
class MixedWritersTest {

    @Inject
    SegmentStore store;

    @Inject
    AppClock clock;

    @Inject
    Ids ids;

    @Test
    void theStoredSegmentIsTheSerialReplayOfTheVersionsTheRequestsProduced() throws Exception {
        new MixedWriters(store, clock, ids, false, StoreFaults.proxy).run("no sweeper");
    }
}
