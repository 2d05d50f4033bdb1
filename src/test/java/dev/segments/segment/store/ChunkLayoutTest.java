package dev.segments.segment.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.segment.Actor;
import dev.segments.segment.Edit;
import dev.segments.segment.ExpiringTargetInstruction;
import dev.segments.segment.ExpiringTargetInstruction.Add;
import dev.segments.segment.Revision;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentInstruction.AddTargets;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentPatches;
import dev.segments.segment.TargetRef;
import dev.segments.segment.TargetType;
import dev.segments.web.AppClock;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Segments stored before chunks were cut near 16 KB hold chunks of up to 96 KB (plain JUnit: a
 * plan writes nothing). Their next change lays them out again, so that every later change
 * rewrites a small chunk. A change of many buckets is planned in one pass.
 */
class ChunkLayoutTest {

    static final long NOW = 1_800_000_000_000L;

    final AtomicInteger ids = new AtomicInteger();
    final Edit edit = new Edit(NOW, new Actor("t", "t"), null, () -> String.format("%024x", ids.incrementAndGet()));

    /** A segment of {@code users}, none scheduled. */
    private Segment segmentOf(List<String> users) throws Exception {
        return SegmentPatches.segment(Segment.create(new SegmentKey("p", "e", "s"), "S", null, List.of(), NOW),
                List.of(new AddTargets(TargetType.INCLUDED, "user", users)), edit).segment();
    }

    @Test
    void aSegmentStoredInLargerChunksIsLaidOutInSmallOnesAtItsNextChange() throws Exception {
        List<String> users = IntStream.range(0, 15_000).mapToObj(i -> String.format("user-%05d@example.com", i)).toList();
        Segment segment = segmentOf(users);
        // As the earlier layout left it after growing: 8 chunks of about 65 KB.
        List<String> storedIds = new ArrayList<>();
        List<Bucket> stored = new ArrayList<>();
        for (List<TargetRef> group : SegmentCodec.group(segment, 8)) {
            String data = SegmentCodec.encode(group, segment.schedules());
            stored.add(SegmentCodec.bucket(group, segment.schedules(), SegmentCodec.utf8Length(data)));
            storedIds.add(UUID.randomUUID().toString());
        }
        assertTrue(stored.stream().allMatch(bucket -> bucket.bytes() > 48 * 1024 && bucket.bytes() <= 96 * 1024));

        Revision revision = SegmentPatches.expiringTargets(segment,
                List.of(new Add(new TargetRef(TargetType.INCLUDED, "user", users.get(7)), NOW + 1000)), edit).revision();
        Chunks.Plan plan = new Chunks(null, "unused", new AppClock()).plan(revision.segment(),
                Chunks.Placed.of(storedIds, stored, Patch.NONE, Map.of()), revision.touched());

        List<String> chunkIds = plan.placed().chunkIds();
        assertTrue(chunkIds.size() > 8, "laid out again, in " + chunkIds.size() + " chunks");
        assertEquals(chunkIds.size(), plan.written().size(), "every chunk written anew");
        assertEquals(plan.written(), chunkIds);
        assertTrue(plan.placed().patch().isEmpty() && plan.alongside().isEmpty(), "every chunk written before the head");
        assertTrue(chunkIds.stream().noneMatch(storedIds::contains));
        // New ids are 16 characters of URL-safe base64 (the stored ones here are UUIDs, as chunks written before them).
        assertTrue(chunkIds.stream().allMatch(id -> id.matches("[A-Za-z0-9_-]{16}")), "ids " + chunkIds);
        assertEquals(chunkIds.size(), chunkIds.stream().distinct().count());
        long largest = plan.placed().buckets().stream().mapToLong(Bucket::bytes).max().orElseThrow();
        assertTrue(largest <= 24 * 1024, "the largest chunk holds " + largest + " bytes");
        assertEquals(users.size(), plan.placed().buckets().stream().mapToInt(bucket -> bucket.targets().size()).sum());
    }

    @Test
    void aChangeOfManyBucketsIsPlannedInOnePass() throws Exception {
        List<String> users = IntStream.range(0, 15_000).mapToObj(i -> String.format("%0200d", i)).toList();
        Segment segment = segmentOf(users);
        Chunks chunks = new Chunks(null, "unused", new AppClock());
        Chunks.Placed stored = chunks.plan(segment, Chunks.inline(Segment.create(segment.key(), "S", null, List.of(), NOW)).placed(), null)
                .placed();
        List<ExpiringTargetInstruction> schedules = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            schedules.add(new Add(new TargetRef(TargetType.INCLUDED, "user", users.get(i * 15)), NOW + 1000));
        }
        Revision revision = SegmentPatches.expiringTargets(segment, schedules, edit).revision();

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Chunks.Plan plan = chunks.plan(revision.segment(), stored, revision.touched());
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(plan.placed().patch().isEmpty(), "past the patch's limit: chunks written first");
        // Every bucket changes: the chunks' data (about 3.3 MB of keys, twice over as Strings) is the least it takes.
        assertTrue(allocated < 64L << 20, "planning took " + allocated + " bytes");
        System.out.printf("A change of 1,000 schedules over %d buckets planned with %,d bytes allocated%n",
                plan.placed().bucketCount(), allocated);
    }
}
