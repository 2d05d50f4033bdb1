package dev.segments.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.segment.Actor;
import dev.segments.segment.FieldOperation.Add;
import dev.segments.segment.FieldOperation.Remove;
import dev.segments.segment.FieldOperation.Replace;
import dev.segments.segment.FieldPath.Field;
import dev.segments.segment.FieldPath.Position;
import dev.segments.segment.FieldValue.Nothing;
import dev.segments.segment.FieldValue.Text;
import dev.segments.segment.FieldValue.Texts;
import dev.segments.segment.SegmentInstruction.AddTargets;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** JSON Patch operations on a segment, in the core: RFC 6902's rules over the lists as the API shows them. */
class FieldOperationTest {

    static final long NOW = 1_800_000_000_000L;
    static final long LATER = NOW + 86_400_000L;

    final AtomicInteger ids = new AtomicInteger();

    Edit edit() {
        return new Edit(NOW, new Actor("t-1", "tester"), "json patch", () -> "id" + ids.incrementAndGet());
    }

    /** A segment named "S" with tags t1, t2 and the given included users ("c", "a", "b" shows as a, b, c). */
    Segment segment(String... included) throws Exception {
        Segment empty = Segment.create(new SegmentKey("p", "e", "s"), "S", null, List.of("t1", "t2"), NOW - 1000);
        return SegmentPatches.segment(empty, List.of(new AddTargets(TargetType.INCLUDED, "user", List.of(included))),
                new Edit(NOW - 1000, new Actor("t-1", "tester"), null, () -> "x")).segment();
    }

    Revision patch(Segment segment, FieldOperation... operations) throws SegmentPatches.Refused {
        return SegmentPatches.fields(segment, List.of(operations), edit());
    }

    static FieldPath at(Field field, int index) {
        return new FieldPath(field, new Position.At(index));
    }

    static FieldPath end(Field field) {
        return new FieldPath(field, new Position.End());
    }

    static Text text(String value) {
        return new Text(value);
    }

    static Texts texts(String... values) {
        return new Texts(List.of(values));
    }

    @Test
    void replacesNameAndDescriptionAndRemovesTheDescription() throws Exception {
        Segment segment = segment();
        Segment named = patch(segment, new Replace(FieldPath.whole(Field.NAME), text("Beta")),
                new Add(FieldPath.whole(Field.DESCRIPTION), text("About"))).segment();
        assertEquals("Beta", named.name());
        assertEquals("About", named.description());
        assertEquals(segment.version() + 1, named.version(), "one patch is one version");
        assertEquals(null, patch(named, new Remove(FieldPath.whole(Field.DESCRIPTION))).segment().description());
    }

    @Test
    void indexesCountInTheSortedListTheApiShows() throws Exception {
        Segment segment = segment("c", "a", "b");
        assertEquals(List.of("a", "c"), patch(segment, new Remove(at(Field.INCLUDED, 1))).segment().keys(TargetType.INCLUDED, "user"));
        assertEquals(List.of("a", "b", "z"), patch(segment, new Replace(at(Field.INCLUDED, 2), text("z"))).segment()
                .keys(TargetType.INCLUDED, "user"));
        // Added at the front, shown in its sorted place: a list of user keys is a set.
        assertEquals(List.of("a", "b", "c", "d"), patch(segment, new Add(at(Field.INCLUDED, 0), text("d"))).segment()
                .keys(TargetType.INCLUDED, "user"));
        assertEquals(List.of("a", "b", "c", "d"), patch(segment, new Add(end(Field.INCLUDED), text("d"))).segment()
                .keys(TargetType.INCLUDED, "user"));
        patch(segment, new FieldOperation.Test(at(Field.INCLUDED, 0), text("a")), new FieldOperation.Test(FieldPath.whole(Field.INCLUDED), texts("a", "b", "c")));
    }

    @Test
    void addingAKeyTwiceKeepsItOnce() throws Exception {
        Segment segment = segment("a");
        Revision revision = patch(segment, new Add(end(Field.INCLUDED), text("a")));
        assertFalse(revision.changed(), "nothing changed, so no new version");
        assertSame(segment, revision.segment());
    }

    @Test
    void tagsKeepTheirOrderAndTakeAnIndex() throws Exception {
        Segment segment = segment();
        assertEquals(List.of("t0", "t1", "t2"), patch(segment, new Add(at(Field.TAGS, 0), text("t0"))).segment().tags());
        assertEquals(List.of("t1", "t2", "t3"), patch(segment, new Add(end(Field.TAGS), text("t3"))).segment().tags());
        assertEquals(List.of("t2", "t1"), patch(segment, new Replace(FieldPath.whole(Field.TAGS), texts("t2", "t1"))).segment().tags());
        assertEquals(List.of("t2"), patch(segment, new Remove(at(Field.TAGS, 0))).segment().tags());
        assertEquals(List.of(), patch(segment, new Remove(FieldPath.whole(Field.TAGS))).segment().tags());
    }

    @Test
    void aFailedTestRefusesTheWholePatch() throws Exception {
        Segment segment = segment("a");
        SegmentPatches.Refused refused = assertThrows(SegmentPatches.Refused.class, () -> patch(segment,
                new Replace(FieldPath.whole(Field.NAME), text("Changed")), new FieldOperation.Test(FieldPath.whole(Field.NAME), text("S"))));
        assertEquals(OptionalInt.of(1), refused.instructionIndex());
        assertTrue(refused.getMessage().contains("/name is \"Changed\", not \"S\""), refused.getMessage());
        assertThrows(SegmentPatches.Refused.class, () -> patch(segment, new FieldOperation.Test(FieldPath.whole(Field.DESCRIPTION), text("x"))));
        // An absent description is null.
        patch(segment, new FieldOperation.Test(FieldPath.whole(Field.DESCRIPTION), new Nothing()));
    }

    @Test
    void indexesFollowRfc6902() throws Exception {
        Segment segment = segment("a", "b");
        // add may name the index just past the end, but no further; the others need an existing entry.
        assertEquals(List.of("a", "b", "c"), patch(segment, new Add(at(Field.INCLUDED, 2), text("c"))).segment()
                .keys(TargetType.INCLUDED, "user"));
        for (FieldOperation refused : List.of(new Add(at(Field.INCLUDED, 3), text("c")), new Remove(at(Field.INCLUDED, 2)),
                new Replace(at(Field.INCLUDED, 2), text("c")), new FieldOperation.Test(at(Field.INCLUDED, 2), text("c")),
                new Remove(end(Field.INCLUDED)), new Replace(end(Field.TAGS), text("x")))) {
            assertThrows(SegmentPatches.Refused.class, () -> patch(segment, refused), refused.toString());
        }
    }

    @Test
    void valuesMustFitTheirField() throws Exception {
        Segment segment = segment("a");
        for (FieldOperation refused : List.of(new Remove(FieldPath.whole(Field.NAME)),
                new Replace(FieldPath.whole(Field.NAME), text(" ")), new Replace(FieldPath.whole(Field.NAME), texts("x")),
                new Replace(FieldPath.whole(Field.INCLUDED), text("a")), new Add(end(Field.INCLUDED), texts("a")))) {
            assertThrows(SegmentPatches.Refused.class, () -> patch(segment, refused), refused.toString());
        }
    }

    @Test
    void takingAUserOutOfAListDeletesTheirScheduledRemoval() throws Exception {
        Segment segment = segment("a", "b");
        Segment scheduled = SegmentPatches.expiringTargets(segment, List.of(
                new ExpiringTargetInstruction.Add(new TargetRef(TargetType.INCLUDED, "user", "a"), LATER),
                new ExpiringTargetInstruction.Add(new TargetRef(TargetType.INCLUDED, "user", "b"), LATER)), edit()).revision().segment();
        Revision revision = patch(scheduled, new Remove(at(Field.INCLUDED, 0)), new Replace(FieldPath.whole(Field.INCLUDED), texts("c")));
        assertTrue(revision.segment().schedules().isEmpty(), "both users left the list, and their schedules with them");
        assertEquals(List.of("c"), revision.segment().keys(TargetType.INCLUDED, "user"));
        List<String> effects = revision.changes().get(0).effects();
        assertTrue(effects.contains("Deleted the scheduled removal of user \"a\" with it"), effects.toString());
        assertEquals("json patch", revision.changes().get(0).comment());
    }

    @Test
    void aKeyMayMoveBetweenListsButNotEndUpInBoth() throws Exception {
        Segment segment = segment("a");
        Segment moved = patch(segment, new Add(end(Field.EXCLUDED), text("a")), new Remove(at(Field.INCLUDED, 0))).segment();
        assertEquals(List.of("a"), moved.keys(TargetType.EXCLUDED, "user"));
        assertEquals(List.of(), moved.keys(TargetType.INCLUDED, "user"));
        SegmentPatches.Refused refused = assertThrows(SegmentPatches.Refused.class,
                () -> patch(segment, new Add(end(Field.EXCLUDED), text("a"))));
        assertEquals(OptionalInt.empty(), refused.instructionIndex());
        assertTrue(refused.getMessage().contains("user \"a\" both included and excluded"), refused.getMessage());
    }

    @Test
    void otherContextKindsAreLeftAlone() throws Exception {
        Segment segment = SegmentPatches.segment(segment("a"), List.of(new AddTargets(TargetType.INCLUDED, "org", List.of("acme"))),
                edit()).segment();
        Segment after = patch(segment, new Replace(FieldPath.whole(Field.INCLUDED), texts("b"))).segment();
        assertEquals(List.of("b"), after.keys(TargetType.INCLUDED, "user"));
        assertEquals(List.of("acme"), after.keys(TargetType.INCLUDED, "org"));
    }

    @Test
    void aPatchCannotTakeTheSegmentPastItsLimits() throws Exception {
        String[] full = java.util.stream.IntStream.range(0, SegmentLimits.MAX_TARGETS).mapToObj(i -> "u" + i).toArray(String[]::new);
        Segment segment = segment(full);
        SegmentPatches.Refused targets = assertThrows(SegmentPatches.Refused.class,
                () -> patch(segment, new Add(end(Field.EXCLUDED), text("one-more"))));
        assertTrue(targets.getMessage().contains("at most 15,000"), targets.getMessage());
        // A full segment can still shrink, and swap one target for another.
        assertEquals(SegmentLimits.MAX_TARGETS - 1, patch(segment, new Remove(at(Field.INCLUDED, 0))).segment().targets().size());

        String[] tags = java.util.stream.IntStream.range(0, SegmentLimits.MAX_TAGS - 1).mapToObj(i -> "tag" + i).toArray(String[]::new);
        Segment tagged = patch(segment("a"), new Replace(new FieldPath(Field.TAGS, new Position.Whole()), texts(tags))).segment();
        assertThrows(SegmentPatches.Refused.class, () -> patch(tagged, new Add(end(Field.TAGS), text("x")), new Add(end(Field.TAGS), text("y"))));
        assertThrows(SegmentPatches.Refused.class, () -> patch(tagged, new Replace(new FieldPath(Field.NAME, new Position.Whole()),
                text("n".repeat(SegmentLimits.MAX_NAME + 1)))));
    }

    @Test
    void dueRemovalsAreCarriedOutFirst() throws Exception {
        Segment segment = segment("a");
        Segment scheduled = SegmentPatches.expiringTargets(segment, List.of(
                new ExpiringTargetInstruction.Add(new TargetRef(TargetType.INCLUDED, "user", "a"), NOW - 500 + 1)),
                new Edit(NOW - 500, new Actor("t-1", "tester"), null, () -> "x")).revision().segment();
        // "a" fell due before NOW, so the list the patch sees is empty.
        assertThrows(SegmentPatches.Refused.class, () -> patch(scheduled, new FieldOperation.Test(at(Field.INCLUDED, 0), text("a"))));
    }
}
