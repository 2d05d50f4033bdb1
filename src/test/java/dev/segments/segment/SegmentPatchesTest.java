package dev.segments.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.segment.ExpiringTargetInstruction.Add;
import dev.segments.segment.ExpiringTargetInstruction.Remove;
import dev.segments.segment.ExpiringTargetInstruction.Update;
import dev.segments.segment.ExpiringTargetInstruction.VersionCheck;
import dev.segments.segment.SegmentInstruction.AddTargets;
import dev.segments.segment.SegmentInstruction.RemoveTargets;
import dev.segments.segment.SegmentPatches.PartialOutcome;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SegmentPatchesTest {

    static final long NOW = 1_800_000_000_000L;
    static final long LATER = NOW + 86_400_000L;
    static final TargetRef U1 = new TargetRef(TargetType.INCLUDED, "user", "u1");
    static final TargetRef U2 = new TargetRef(TargetType.INCLUDED, "user", "u2");

    final AtomicInteger ids = new AtomicInteger();

    Edit edit(long now) {
        return new Edit(now, new Actor("t-1", "tester"), "why", () -> "id" + ids.incrementAndGet());
    }

    Segment segmentWith(String... includedUsers) throws Exception {
        Segment empty = Segment.create(new SegmentKey("p", "e", "s"), "S", null, List.of(), NOW - 1000);
        return SegmentPatches.segment(empty, List.of(new AddTargets(TargetType.INCLUDED, "user", List.of(includedUsers))),
                edit(NOW - 1000)).segment();
    }

    PartialOutcome patch(Segment segment, ExpiringTargetInstruction... instructions) {
        return SegmentPatches.expiringTargets(segment, List.of(instructions), edit(NOW));
    }

    @Test
    void addSchedulesRemovalAndBumpsVersionByOne() throws Exception {
        Segment segment = segmentWith("u1");
        PartialOutcome outcome = patch(segment, new Add(U1, LATER));
        assertEquals(List.of(), outcome.errors());
        Segment after = outcome.revision().segment();
        assertEquals(segment.version() + 1, after.version());
        ExpiringTarget schedule = after.schedules().get(U1);
        assertEquals(LATER, schedule.expirationDate());
        assertEquals(1, schedule.version());
        assertEquals("tester", outcome.revision().changes().get(0).actor().name());
        assertEquals("why", outcome.revision().changes().get(0).comment());
    }

    @Test
    void addForUserNotInListFailsAndNamesTheUser() throws Exception {
        PartialOutcome outcome = patch(segmentWith("u1"), new Add(U2, LATER));
        assertEquals(1, outcome.errors().size());
        assertTrue(outcome.errors().get(0).message().contains("\"u2\""), outcome.errors().get(0).message());
        assertTrue(outcome.errors().get(0).message().contains("included"));
        assertFalse(outcome.revision().changed());
    }

    @Test
    void addWithSameDateIsSafeToRetryAndDifferentDateFails() throws Exception {
        Segment scheduled = patch(segmentWith("u1"), new Add(U1, LATER)).revision().segment();
        PartialOutcome same = patch(scheduled, new Add(U1, LATER));
        assertEquals(List.of(), same.errors());
        assertFalse(same.revision().changed());
        PartialOutcome different = patch(scheduled, new Add(U1, LATER + 1));
        assertEquals(1, different.errors().size());
        assertTrue(different.errors().get(0).message().contains("already has a removal"));
        assertEquals(LATER, different.revision().segment().schedules().get(U1).expirationDate());
    }

    @Test
    void updateMovesScheduleKeepsIdAndBumpsItsVersion() throws Exception {
        Segment scheduled = patch(segmentWith("u1"), new Add(U1, LATER)).revision().segment();
        ExpiringTarget before = scheduled.schedules().get(U1);
        PartialOutcome outcome = patch(scheduled,
                new Update(U1, LATER + 5, new VersionCheck.SegmentVersion(scheduled.version())));
        assertEquals(List.of(), outcome.errors());
        ExpiringTarget after = outcome.revision().segment().schedules().get(U1);
        assertEquals(before.id(), after.id());
        assertEquals(2, after.version());
        assertEquals(LATER + 5, after.expirationDate());
        assertEquals(scheduled.version() + 1, outcome.revision().segment().version());
    }

    @Test
    void updateWithoutScheduleFails() throws Exception {
        Segment segment = segmentWith("u1");
        PartialOutcome outcome = patch(segment, new Update(U1, LATER, new VersionCheck.SegmentVersion(segment.version())));
        assertTrue(outcome.errors().get(0).message().contains("no removal"), outcome.errors().get(0).message());
    }

    @Test
    void updateWithStaleSegmentVersionFails() throws Exception {
        Segment scheduled = patch(segmentWith("u1"), new Add(U1, LATER)).revision().segment();
        PartialOutcome outcome = patch(scheduled,
                new Update(U1, LATER + 5, new VersionCheck.SegmentVersion(scheduled.version() - 1)));
        assertEquals(1, outcome.errors().size());
        assertTrue(outcome.errors().get(0).message().contains("version"));
        assertFalse(outcome.revision().changed());
    }

    @Test
    void versionIsCheckedAgainstTheVersionBeforeTheRequestEvenAfterEarlierInstructions() throws Exception {
        Segment segment = segmentWith("u1", "u2");
        long before = segment.version();
        PartialOutcome outcome = patch(segment, new Add(U1, LATER), new Add(U2, LATER),
                new Update(U2, LATER + 1, new VersionCheck.SegmentVersion(before)));
        assertEquals(List.of(), outcome.errors());
        assertEquals(before + 1, outcome.revision().segment().version());
    }

    @Test
    void targetVersionCheckComparesTheScheduleVersion() throws Exception {
        Segment scheduled = patch(segmentWith("u1"), new Add(U1, LATER)).revision().segment();
        assertEquals(1, patch(scheduled, new Update(U1, LATER + 5, new VersionCheck.TargetVersion(2))).errors().size());
        assertEquals(0, patch(scheduled, new Update(U1, LATER + 5, new VersionCheck.TargetVersion(1))).errors().size());
    }

    @Test
    void pastDateFailsAndSecondsAreCalledOut() throws Exception {
        Segment segment = segmentWith("u1");
        String past = patch(segment, new Add(U1, NOW)).errors().get(0).message();
        assertTrue(past.contains("not in the future"), past);
        assertFalse(past.contains("looks like seconds"), past);
        String seconds = patch(segment, new Add(U1, LATER / 1000)).errors().get(0).message();
        assertTrue(seconds.contains("looks like seconds") && seconds.contains("multiply it by 1000"), seconds);
    }

    @Test
    void removeCancelsScheduleKeepsUserAndIsNoOpWithoutSchedule() throws Exception {
        Segment scheduled = patch(segmentWith("u1"), new Add(U1, LATER)).revision().segment();
        PartialOutcome removed = patch(scheduled, new ExpiringTargetInstruction.Remove(U1));
        assertTrue(removed.revision().segment().schedules().isEmpty());
        assertTrue(removed.revision().segment().targets().contains(U1));
        PartialOutcome again = patch(removed.revision().segment(), new Remove(U1));
        assertEquals(List.of(), again.errors());
        assertFalse(again.revision().changed());
    }

    @Test
    void instructionsApplyInOrderAndFailuresChangeNothing() throws Exception {
        Segment segment = segmentWith("u1");
        PartialOutcome outcome = patch(segment, new Add(U1, LATER), new Add(U2, LATER),
                new Update(U1, LATER + 9, new VersionCheck.SegmentVersion(segment.version())));
        assertEquals(1, outcome.errors().size());
        assertEquals(1, outcome.errors().get(0).instructionIndex());
        assertEquals(LATER + 9, outcome.revision().segment().schedules().get(U1).expirationDate());
        assertEquals(segment.version() + 1, outcome.revision().segment().version());
    }

    @Test
    void dueRemovalsAreCarriedOutExactlyAtTheirMillisecond() throws Exception {
        Segment scheduled = patch(segmentWith("u1"), new Add(U1, LATER)).revision().segment();
        Revision justBefore = Expiry.carryOut(scheduled, LATER - 1);
        assertFalse(justBefore.changed());
        Revision atTime = Expiry.carryOut(scheduled, LATER);
        assertFalse(atTime.segment().targets().contains(U1));
        assertTrue(atTime.segment().schedules().isEmpty());
        assertEquals(scheduled.version() + 1, atTime.segment().version());
        assertEquals(Change.SERVICE, atTime.changes().get(0).actor());
    }

    @Test
    void segmentPatchIsAllOrNothingAndRejectsIncludedAndExcludedAtOnce() throws Exception {
        Segment segment = segmentWith("u1");
        SegmentPatches.Refused refused = assertThrows(SegmentPatches.Refused.class, () -> SegmentPatches.segment(segment,
                List.of(new SegmentInstruction.UpdateName("new"), new AddTargets(TargetType.EXCLUDED, "user", List.of("u1"))),
                edit(NOW)));
        assertEquals(OptionalInt.of(1), refused.instructionIndex());
    }

    @Test
    void removingAUserDeletesTheirSchedule() throws Exception {
        Segment scheduled = patch(segmentWith("u1"), new Add(U1, LATER)).revision().segment();
        Segment after = SegmentPatches.segment(scheduled,
                List.of(new RemoveTargets(TargetType.INCLUDED, "user", List.of("u1"))), edit(NOW)).segment();
        assertTrue(after.schedules().isEmpty());
        assertEquals(scheduled.version() + 1, after.version());
    }

    @Test
    void sameKeyUnderTwoKindsIsTwoTargets() throws Exception {
        Segment segment = segmentWith("k");
        Segment after = SegmentPatches.segment(segment,
                List.of(new AddTargets(TargetType.EXCLUDED, "org", List.of("k"))), edit(NOW)).segment();
        assertEquals(List.of("k"), after.keys(TargetType.INCLUDED, "user"));
        assertEquals(List.of("k"), after.keys(TargetType.EXCLUDED, "org"));
    }

    @Test
    void aChangeTouchingManyTargetsKeepsABoundedSummary() throws Exception {
        List<String> many = java.util.stream.IntStream.range(0, 500).mapToObj(i -> "k" + i).toList();
        Revision revision = SegmentPatches.segment(segmentWith(), List.of(new AddTargets(TargetType.INCLUDED, "user", many)), edit(NOW));
        List<String> effects = revision.changes().get(0).effects();
        assertEquals(Change.MAX_EFFECTS, effects.size());
        assertTrue(effects.get(Change.MAX_EFFECTS - 1).contains("451 more"), effects.get(Change.MAX_EFFECTS - 1));
        assertEquals(500, revision.segment().targets().size());
    }
}
