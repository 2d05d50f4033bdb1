package dev.segments.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.segment.ExpiringTargetInstruction.Add;
import dev.segments.segment.ExpiringTargetInstruction.Remove;
import dev.segments.segment.ExpiringTargetInstruction.Update;
import dev.segments.segment.ExpiringTargetInstruction.VersionCheck;
import dev.segments.segment.SegmentInstruction.AddTargets;
import dev.segments.segment.SegmentInstruction.RemoveTargets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a segment keeps with its targets and schedules instead of counting it again (answer
 * bytes, earliest date), what a revision says it touched, and the check for keys in both lists
 * that looks at touched keys only must always agree with going over the whole segment afresh: checked after every step of long random runs of patches and expiries,
 * against a copy of the segment that has nothing counted.
 */
class KeptTalliesTest {

    static final long NOW = 1_800_000_000_000L;
    static final String[] KINDS = {"user", "org", "dev\u00e9", "\"q\""};
    static final String[] KEYS = {"u", "\u00e9t\u00e9", "\ud83d\ude00", "\"\\", "\u0001x", "long-key-of-some-length-"};

    final AtomicInteger ids = new AtomicInteger();

    @Test
    void keptCountsMatchAFreshCountAfterEveryChange() throws Exception {
        for (int seed = 0; seed < 40; seed++) {
            Random random = new Random(seed);
            long now = NOW;
            Segment segment = Segment.create(new SegmentKey("p", "e\u00e9", "s\"1"), "S", null, List.of(), now);
            for (int step = 0; step < 120; step++) {
                now += random.nextInt(3) * 1000L;
                Edit edit = new Edit(now, new Actor("t", "t"), null, () -> "id-\u00e9" + ids.incrementAndGet());
                Revision revision;
                if (random.nextInt(4) == 0) {
                    revision = targetsPatch(segment, random, edit);
                } else {
                    revision = SegmentPatches.expiringTargets(segment, scheduleInstructions(segment, random, now), edit).revision();
                }
                check(revision, now);
                // Ask the kept counts now and then only, so that segments with nothing counted yet are covered too.
                if (random.nextBoolean()) {
                    Footprint.of(revision.segment());
                }
                segment = revision.segment();
            }
        }
    }

    @Test
    void removingTheOnlyEarliestScheduleLetsTheNextOneFallDue() throws Exception {
        Segment segment = Segment.create(new SegmentKey("p", "e", "s"), "S", null, List.of(), NOW);
        Edit edit = new Edit(NOW, new Actor("t", "t"), null, () -> "id" + ids.incrementAndGet());
        segment = SegmentPatches.segment(segment, List.of(new AddTargets(TargetType.INCLUDED, "user", List.of("a", "b", "c"))), edit)
                .segment();
        segment = SegmentPatches.expiringTargets(segment, List.of(new Add(ref("a"), NOW + 10), new Add(ref("b"), NOW + 20),
                new Add(ref("c"), NOW + 20)), edit).revision().segment();
        assertEquals(Optional.of(NOW + 10), segment.nextExpiry());
        segment = SegmentPatches.expiringTargets(segment, List.of(new Remove(ref("a"))), edit).revision().segment();
        assertEquals(Optional.of(NOW + 20), segment.nextExpiry());
        Revision due = Expiry.carryOut(segment, NOW + 20);
        assertEquals(Set.of(ref("a")), due.segment().targets());
        segment = SegmentPatches.expiringTargets(segment, List.of(new Remove(ref("b")), new Remove(ref("c"))), edit).revision().segment();
        assertEquals(Optional.empty(), segment.nextExpiry());
    }

    @Test
    void aDraftChangesNothingOnceItBecameASegment() throws Exception {
        Segment segment = Segment.create(new SegmentKey("p", "e", "s"), "S", null, List.of(), NOW);
        SegmentDraft draft = segment.edit();
        draft.addTarget(ref("a"));
        Segment made = draft.toSegment(NOW);
        assertThrows(IllegalStateException.class, () -> draft.addTarget(ref("b")));
        assertEquals(Set.of(ref("a")), made.targets());
    }

    private static TargetRef ref(String key) {
        return new TargetRef(TargetType.INCLUDED, "user", key);
    }

    private Revision targetsPatch(Segment segment, Random random, Edit edit) throws Exception {
        TargetType type = random.nextBoolean() ? TargetType.INCLUDED : TargetType.EXCLUDED;
        String kind = KINDS[random.nextInt(KINDS.length)];
        List<String> keys = new ArrayList<>();
        for (int i = random.nextInt(6); i >= 0; i--) {
            keys.add(KEYS[random.nextInt(KEYS.length)] + random.nextInt(8));
        }
        SegmentInstruction instruction = random.nextInt(3) == 0 ? new RemoveTargets(type, kind, keys) : new AddTargets(type, kind, keys);
        try {
            if (random.nextInt(3) == 0) {
                // A JSON Patch may move a user between the lists, and is refused if one ends up in both.
                FieldPath.Field list = type == TargetType.INCLUDED ? FieldPath.Field.INCLUDED : FieldPath.Field.EXCLUDED;
                return SegmentPatches.fields(segment, List.of(new FieldOperation.Add(new FieldPath(list, new FieldPath.Position.End()),
                        new FieldValue.Text(keys.get(0)))), edit);
            }
            return SegmentPatches.segment(segment, List.of(instruction), edit);
        } catch (SegmentPatches.Refused bothLists) {
            return Expiry.carryOut(segment, edit.now());
        }
    }

    private static List<ExpiringTargetInstruction> scheduleInstructions(Segment segment, Random random, long now) {
        List<TargetRef> targets = new ArrayList<>(segment.targets());
        targets.sort(TargetRef.ORDER);
        List<ExpiringTargetInstruction> instructions = new ArrayList<>();
        for (int i = random.nextInt(4); i >= 0 && !targets.isEmpty(); i--) {
            TargetRef ref = targets.get(random.nextInt(targets.size()));
            long date = now + 1000 + random.nextInt(4) * 1000L;
            instructions.add(switch (random.nextInt(3)) {
                case 0 -> new Add(ref, date);
                case 1 -> new Update(ref, date, new VersionCheck.None());
                default -> new Remove(ref);
            });
        }
        return instructions;
    }

    private static void check(Revision revision, long now) {
        Segment kept = revision.segment();
        Segment fresh = new Segment(kept.key(), kept.name(), kept.description(), kept.tags(), kept.creationDate(),
                kept.lastModifiedDate(), kept.version(), new HashSet<>(kept.targets()), new HashMap<>(kept.schedules()));
        assertEquals(Footprint.of(fresh), Footprint.of(kept));
        assertEquals(fresh.schedules().values().stream().map(ExpiringTarget::expirationDate).min(Long::compare), kept.nextExpiry());
        assertTrue(kept.schedules().values().stream().noneMatch(schedule -> schedule.isDue(now)), "a due removal was left");
        Segment from = revision.from();
        Set<TargetRef> differing = new HashSet<>();
        for (Set<TargetRef> side : List.of(from.targets(), kept.targets())) {
            for (TargetRef ref : side) {
                if (from.targets().contains(ref) != kept.targets().contains(ref)
                        || !java.util.Objects.equals(from.schedules().get(ref), kept.schedules().get(ref))) {
                    differing.add(ref);
                }
            }
        }
        assertTrue(revision.touched().containsAll(differing), "touched " + revision.touched() + " misses some of " + differing);
        assertTrue(kept.targets().stream().noneMatch(ref -> ref.type() == TargetType.INCLUDED
                && kept.targets().contains(new TargetRef(TargetType.EXCLUDED, ref.contextKind(), ref.key()))), "a key in both lists");
        Map<TargetRef, ExpiringTarget> schedules = kept.schedules();
        assertTrue(kept.targets().containsAll(schedules.keySet()), "a schedule without its target");
    }
}
