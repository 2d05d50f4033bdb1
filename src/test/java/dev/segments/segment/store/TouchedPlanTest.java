package dev.segments.segment.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.segment.Actor;
import dev.segments.segment.Edit;
import dev.segments.segment.ExpiringTargetInstruction;
import dev.segments.segment.ExpiringTargetInstruction.Add;
import dev.segments.segment.ExpiringTargetInstruction.Remove;
import dev.segments.segment.ExpiringTargetInstruction.Update;
import dev.segments.segment.ExpiringTargetInstruction.VersionCheck;
import dev.segments.segment.Revision;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentInstruction;
import dev.segments.segment.SegmentInstruction.AddTargets;
import dev.segments.segment.SegmentInstruction.RemoveTargets;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentPatches;
import dev.segments.segment.TargetRef;
import dev.segments.segment.TargetType;
import dev.segments.web.AppClock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A commit compares only the buckets a revision's touched targets fall in (plain JUnit: a plan
 * writes nothing). Over random runs of patches on a chunked segment, that plan must reuse and
 * rewrite exactly the chunks that comparing every bucket does, with the same buckets and the same
 * patch, whether the changes go into the head's patch or, past its limit, into chunks first; and
 * the head's chunks as its patch changes them must be those buckets.
 */
class TouchedPlanTest {

    static final long NOW = 1_800_000_000_000L;

    final AtomicInteger ids = new AtomicInteger();

    @Test
    void comparingTouchedBucketsPlansWhatComparingAllDoes() throws Exception {
        Chunks chunks = new Chunks(null, "unused", new AppClock());
        Random random = new Random(7);
        Edit edit = new Edit(NOW, new Actor("t", "t"), null, () -> String.format("%024x", ids.incrementAndGet()));
        Segment segment = Segment.create(new SegmentKey("p", "e", "s"), "S", null, List.of(), NOW);
        Chunks.Placed empty = Chunks.inline(segment).placed();
        List<String> users = IntStream.range(0, 3_000).mapToObj(i -> "user-key-with-some-length-" + i).toList();
        segment = SegmentPatches.segment(segment, List.of(new AddTargets(TargetType.INCLUDED, "user", users)), edit).segment();
        Chunks.Placed stored = chunks.plan(segment, empty, null).placed();
        assertTrue(stored.chunkIds().size() > 2, "the segment is chunked");
        int rewritten = 0;
        int patched = 0;
        int named = 0;
        for (int step = 0; step < 200; step++) {
            Revision revision = step % 5 == 0 ? targets(segment, random, edit) : schedules(segment, random, edit);
            Chunks.Plan touched = chunks.plan(revision.segment(), stored, revision.touched());
            Chunks.Plan all = chunks.plan(revision.segment(), stored, null);
            assertEquals(all.placed().buckets(), touched.placed().buckets(), "step " + step);
            assertEquals(all.placed().bucketCount(), touched.placed().bucketCount());
            assertEquals(rewrittenBuckets(all), rewrittenBuckets(touched), "step " + step);
            assertEquals(all.placed().patch(), touched.placed().patch(), "step " + step);
            // What a reader of the head makes of it: its chunks as its patch changes them.
            assertEquals(touched.placed().buckets(), touched.placed().patch().apply(touched.placed().chunks()), "step " + step);
            assertEquals(revision.segment().targets().size(),
                    touched.placed().buckets().stream().mapToInt(bucket -> bucket.targets().size()).sum());
            rewritten += touched.written().size();
            patched += touched.alongside().size();
            Collection<String> pending = stored.pending().values();
            named += (int) touched.placed().chunkIds().stream().filter(pending::contains).count();
            if (random.nextInt(4) == 0) {
                chunks.sawStored(touched.written()); // as when the chunks written alongside the head were seen stored
            }
            segment = revision.segment();
            stored = touched.placed();
        }
        assertTrue(patched > 0 && patched < rewritten, "some chunks written alongside a head, some before: " + patched + " of " + rewritten);
        assertTrue(named > 0, "some pending chunks named");
        assertTrue(rewritten > 0, "some chunks changed");
    }

    /** The buckets a plan writes a chunk for, before or alongside its head. */
    private static Set<Integer> rewrittenBuckets(Chunks.Plan plan) {
        Set<Integer> buckets = new TreeSet<>();
        List<String> chunkIds = plan.placed().chunkIds();
        for (int i = 0; i < chunkIds.size(); i++) {
            if (plan.written().contains(chunkIds.get(i)) || plan.written().contains(plan.placed().pending().get(i))) {
                buckets.add(i);
            }
        }
        return buckets;
    }

    private static TargetRef user(Random random) {
        return new TargetRef(TargetType.INCLUDED, "user", "user-key-with-some-length-" + random.nextInt(3_200));
    }

    private Revision targets(Segment segment, Random random, Edit edit) throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = random.nextInt(30); i >= 0; i--) {
            keys.add(user(random).key());
        }
        SegmentInstruction instruction = random.nextBoolean() ? new RemoveTargets(TargetType.INCLUDED, "user", keys)
                : new AddTargets(TargetType.INCLUDED, "user", keys);
        return SegmentPatches.segment(segment, List.of(instruction), edit);
    }

    private static Revision schedules(Segment segment, Random random, Edit edit) {
        List<ExpiringTargetInstruction> instructions = new ArrayList<>();
        for (int i = random.nextInt(5); i >= 0; i--) {
            TargetRef ref = user(random);
            long date = NOW + 1000 + random.nextInt(3) * 1000L;
            instructions.add(switch (random.nextInt(3)) {
                case 0 -> new Add(ref, date);
                case 1 -> new Update(ref, date, new VersionCheck.None());
                default -> new Remove(ref);
            });
        }
        return SegmentPatches.expiringTargets(segment, instructions, edit).revision();
    }
}
