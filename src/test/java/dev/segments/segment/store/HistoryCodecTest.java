package dev.segments.segment.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.segments.segment.Actor;
import dev.segments.segment.Change;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A history attribute keeps each change with who made it (token id and name) and the id of the
 * commit that wrote it, and still reads the histories stored before either was recorded: heads
 * and entry items live on for the audit retention, so all of them are in tables today.
 */
class HistoryCodecTest {

    @Test
    void aChangeKeepsItsActorAndItsCommit() {
        List<SegmentCodec.Recorded> history = List.of(
                new SegmentCodec.Recorded(new Change(7, 1_700_000_000_000L, new Actor("t-42", "ci bot"), "why", List.of("Added \"u\"")), "c-1"),
                new SegmentCodec.Recorded(Change.deletion(7, 1_700_000_000_001L, Change.SERVICE), "c-2"));
        assertEquals(history, SegmentCodec.decodeHistory(SegmentCodec.encodeHistory(history)));
    }

    @Test
    void historiesFromBeforeActorIdsAndCommitIdsStillRead() {
        String neither = "[{\"version\":3,\"at\":5,\"actor\":\"alice\",\"effects\":[\"e\"]},"
                + "{\"version\":4,\"at\":6,\"actor\":\"service\",\"effects\":[]}]";
        List<SegmentCodec.Recorded> old = SegmentCodec.decodeHistory(neither);
        assertEquals(new Change(3, 5, new Actor(null, "alice"), null, List.of("e")), old.get(0).change());
        assertNull(old.get(0).commit());
        assertEquals(Change.SERVICE, old.get(1).change().actor(), "the expiry service, as it was named before ids");

        SegmentCodec.Recorded commitOnly = SegmentCodec.decodeHistory(
                "[{\"version\":2,\"at\":1,\"actor\":\"bob\",\"effects\":[],\"commit\":\"c-9\"}]").get(0);
        assertEquals(new Actor(null, "bob"), commitOnly.change().actor());
        assertEquals("c-9", commitOnly.commit());

        SegmentCodec.Recorded actorOnly = SegmentCodec.decodeHistory(
                "[{\"version\":2,\"at\":1,\"actor\":\"bob\",\"actorId\":\"t-1\",\"effects\":[]}]").get(0);
        assertEquals(new Actor("t-1", "bob"), actorOnly.change().actor());
        assertNull(actorOnly.commit());
    }
}
