package dev.segments.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.segment.ExpiringTargetInstruction.Add;
import dev.segments.segment.SegmentInstruction.AddTags;
import dev.segments.segment.SegmentInstruction.AddTargets;
import dev.segments.segment.SegmentInstruction.RemoveTargets;
import dev.segments.segment.SegmentInstruction.UpdateDescription;
import dev.segments.segment.SegmentInstruction.UpdateName;
import dev.segments.segment.SegmentPatches.PartialOutcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What a segment may hold: every bound is checked before an instruction changes anything. */
class SegmentBoundsTest {

    static final long NOW = 1_800_000_000_000L;
    static final long LATER = NOW + 86_400_000L;
    static final SegmentKey KEY = new SegmentKey("p", "e", "s");
    /** The longest keys a project, environment and segment may have: every schedule's answer repeats them. */
    static final SegmentKey LONG_KEY = new SegmentKey("p".repeat(256), "e".repeat(256), "s".repeat(256));

    final AtomicInteger ids = new AtomicInteger();

    Edit edit() {
        return new Edit(NOW, new Actor("t-1", "tester"), null, () -> String.format("%024x", ids.incrementAndGet()));
    }

    static List<String> keys(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + i).toList();
    }

    /** A stored segment with these included users, as the store would hand it over (no bound applied). */
    static Segment stored(SegmentKey key, List<String> users) {
        Set<TargetRef> targets = new HashSet<>();
        users.forEach(u -> targets.add(new TargetRef(TargetType.INCLUDED, "user", u)));
        return new Segment(key, "S", null, List.of(), NOW - 1000, NOW - 1000, 2, targets, Map.of());
    }

    /** The worst key there is for answers: 512 bytes of control characters, each written as \\u0001 and escaped again. */
    static String worstKey(int i) {
        String unique = Integer.toString(i);
        return unique + "\u0001".repeat(512 - unique.length());
    }

    @Test
    void aSegmentHoldsAtMost15000Targets() throws Exception {
        Segment full = stored(KEY, keys("u", 0, 14_999));
        SegmentPatches.Refused refused = assertThrows(SegmentPatches.Refused.class, () -> SegmentPatches.segment(full,
                List.of(new UpdateName("Renamed"), new AddTargets(TargetType.EXCLUDED, "org", List.of("x", "y"))), edit()));
        assertEquals(OptionalInt.of(1), refused.instructionIndex());
        assertTrue(refused.getMessage().contains("15,000"), refused.getMessage());
        // Keys already in the segment take no room; one more fits exactly.
        Revision filled = SegmentPatches.segment(full, List.of(new AddTargets(TargetType.INCLUDED, "user", List.of("u1", "u2", "new"))),
                edit());
        assertEquals(15_000, filled.segment().targets().size());
    }

    @Test
    void schedulesStopAtTheAnswerBoundAndEachRefusalIsItsOwnError() {
        List<String> users = IntStream.range(0, 2_000).mapToObj(SegmentBoundsTest::worstKey).toList();
        Segment segment = stored(LONG_KEY, users);
        List<ExpiringTargetInstruction> adds = new ArrayList<>();
        users.forEach(u -> adds.add(new Add(new TargetRef(TargetType.INCLUDED, "user", u), LATER)));
        int scheduled = 0;
        boolean refused = false;
        for (int from = 0; from < adds.size() && !refused; from += 250) {
            PartialOutcome outcome = SegmentPatches.expiringTargets(segment, adds.subList(from, Math.min(adds.size(), from + 250)), edit());
            segment = outcome.revision().segment();
            for (SegmentPatches.InstructionError error : outcome.errors()) {
                assertTrue(error.message().contains("bytes"), error.message());
                refused = true;
            }
            scheduled = segment.schedules().size();
        }
        assertTrue(refused, "2,000 schedules of 512-byte control-character keys cannot fit in one answer");
        assertTrue(scheduled > 900 && scheduled < 1_500, scheduled + " scheduled");
    }

    @Test
    void aSegmentOverItsBoundsCanStillShrinkButNotGrow() throws Exception {
        Segment over = stored(KEY, keys("u", 0, 16_000));
        Revision shrunk = SegmentPatches.segment(over, List.of(new RemoveTargets(TargetType.INCLUDED, "user", keys("u", 0, 10))), edit());
        assertEquals(15_990, shrunk.segment().targets().size());
        assertThrows(SegmentPatches.Refused.class, () -> SegmentPatches.segment(over,
                List.of(new AddTargets(TargetType.INCLUDED, "user", List.of("one-more"))), edit()));
    }

    @Test
    void detailsAreBoundedWhateverTheInstructionsSay() throws Exception {
        Segment segment = stored(KEY, List.of());
        List<String> fifty = keys("t", 0, 50);
        Segment tagged = SegmentPatches.segment(segment, List.of(new AddTags(fifty)), edit()).segment();
        SegmentPatches.Refused tags = assertThrows(SegmentPatches.Refused.class,
                () -> SegmentPatches.segment(tagged, List.of(new AddTags(List.of("t0", "one-more"))), edit()));
        assertTrue(tags.getMessage().contains("50 tags"), tags.getMessage());
        assertThrows(SegmentPatches.Refused.class,
                () -> SegmentPatches.segment(segment, List.of(new AddTags(List.of("x".repeat(65)))), edit()));
        assertThrows(SegmentPatches.Refused.class,
                () -> SegmentPatches.segment(segment, List.of(new UpdateName("n".repeat(257))), edit()));
        assertThrows(SegmentPatches.Refused.class,
                () -> SegmentPatches.segment(segment, List.of(new UpdateDescription("d".repeat(4097))), edit()));
    }

    /** An expiring-targets PATCH answer reserves room for a failure of each instruction: every message fits it. */
    @Test
    void everyRefusalOfAnExpiringTargetFitsTheReserveForItsMessage() {
        String key = "\u0001".repeat(SegmentLimits.MAX_TARGET_KEY_BYTES);
        String kind = "k".repeat(64);
        TargetRef scheduled = new TargetRef(TargetType.EXCLUDED, kind, key);
        TargetRef unscheduled = new TargetRef(TargetType.INCLUDED, kind, key);
        TargetRef absent = new TargetRef(TargetType.INCLUDED, kind, key.substring(1) + "\u0002");
        Map<TargetRef, ExpiringTarget> schedules = new HashMap<>(Map.of(scheduled, new ExpiringTarget("x".repeat(24), 7, LATER, scheduled)));
        // A segment one schedule short of its answer bytes, so that the next one is refused for room.
        Segment segment = new Segment(LONG_KEY, "S", null, List.of(), NOW, NOW, Long.MAX_VALUE, Set.of(scheduled, unscheduled),
                schedules);
        long item = Footprint.of(segment).scheduled();
        long used = item;
        Set<TargetRef> targets = new HashSet<>(segment.targets());
        for (int i = 0; used + item <= SegmentLimits.MAX_ANSWER_BYTES; i++) {
            // Digits cost 1 byte where a control character costs 7.
            TargetRef filler = new TargetRef(TargetType.EXCLUDED, kind, i + key.substring(Integer.toString(i).length()));
            targets.add(filler);
            schedules.put(filler, new ExpiringTarget("x".repeat(24), 1, LATER, filler));
            used += item - 6L * Integer.toString(i).length();
        }
        segment = new Segment(LONG_KEY, "S", null, List.of(), NOW, NOW, Long.MAX_VALUE, targets, schedules);
        long farPast = Long.MIN_VALUE;
        List<ExpiringTargetInstruction> failing = List.of(
                new Add(unscheduled, farPast),
                new Add(absent, LATER),
                new Add(scheduled, LATER + 1),
                new Add(unscheduled, Long.MAX_VALUE),
                new ExpiringTargetInstruction.Update(absent, LATER, new ExpiringTargetInstruction.VersionCheck.None()),
                new ExpiringTargetInstruction.Update(unscheduled, LATER, new ExpiringTargetInstruction.VersionCheck.None()),
                new ExpiringTargetInstruction.Update(scheduled, LATER, new ExpiringTargetInstruction.VersionCheck.SegmentVersion(Long.MIN_VALUE)),
                new ExpiringTargetInstruction.Update(scheduled, LATER, new ExpiringTargetInstruction.VersionCheck.TargetVersion(Long.MIN_VALUE)));
        PartialOutcome outcome = SegmentPatches.expiringTargets(segment, failing, edit());
        assertEquals(failing.size(), outcome.errors().size(), outcome.errors().toString());
        for (SegmentPatches.InstructionError error : outcome.errors()) {
            assertTrue(AnswerSize.of(error.message()) <= SegmentLimits.MAX_MESSAGE_BYTES,
                    AnswerSize.of(error.message()) + " bytes: " + error.message().replace("\u0001", ""));
        }
        assertTrue(outcome.errors().get(3).message().contains("bytes"), outcome.errors().get(3).message());
    }
}
