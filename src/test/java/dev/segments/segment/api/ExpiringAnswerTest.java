package dev.segments.segment.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.Segment;
import dev.segments.segment.Revision;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentPatches.InstructionError;
import dev.segments.segment.TargetRef;
import dev.segments.segment.TargetType;
import dev.segments.web.JsonAnswer;
import dev.segments.web.JsonStringBytes;
import dev.segments.web.Links;
import io.netty.buffer.ByteBufUtil;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Expiring-targets answers rendered from kept items are, byte for byte, the answers written
 * whole (a tree of the representation, written by Jackson as the answers always were), over
 * segments that change from version to version; a warm answer encodes only what changed; the
 * kept items stay within their bound.
 */
class ExpiringAnswerTest {

    static final String[] KINDS = {"user", "user", "user", "org", "device", "k".repeat(64)};
    /** Characters keys may hold, escapes and non-ASCII among them (a lone surrogate fails Jackson, as it always did). */
    static final String[] ALPHABET = {"a", "Z", "9", "-", "\"", "\\", "\u0001", "\n", "\u007f", "é", "€", "\u2028", "😀", "/", "<", " "};
    static final long[] DATES = {1_800_000_000_000L, 1_800_000_000_001L, 1_800_000_600_000L, 1_900_000_000_000L};

    @Test
    void answersAreTheWholeWrittenOnesAcrossVersions() {
        Random random = new Random(16);
        for (int round = 0; round < 60; round++) {
            SegmentKey key = round % 3 == 0 ? new SegmentKey("p", "e", "s" + round)
                    : new SegmentKey(word(random, 40), word(random, 40), word(random, 40) + round);
            Segment segment = segment(key, random, Map.of());
            Revision revision = unchanged(segment);
            for (int version = 0; version < 12; version++) {
                for (ExpiringView view : ExpiringView.values()) {
                    assertAnswer(written(segment, view, null, List.of()), ExpiringAnswer.of(revision, view),
                            "GET, round " + round + ", version " + version + ", " + view);
                    List<InstructionError> errors = random.nextBoolean() ? List.of()
                            : List.of(new InstructionError(random.nextInt(5), word(random, 50)));
                    assertAnswer(written(segment, view, 5, errors), ExpiringAnswer.patched(revision, view, 5, errors),
                            "PATCH, round " + round + ", version " + version + ", " + view);
                }
                Segment next = random.nextInt(10) == 0 ? segment(key, random, Map.of()) : segment(key, random, changed(segment, random));
                // Half the steps say which targets they touched, as a PATCH does; the others make the items compare them all.
                revision = random.nextBoolean() ? new Revision(segment, next, List.of(), touched(segment, next)) : unchanged(next);
                segment = next;
            }
        }
    }

    @Test
    void aWarmAnswerOfFifteenThousandSchedulesEncodesOnlyTheChangedOnes() {
        AtomicLong encoded = new AtomicLong();
        KeptItems kept = new KeptItems(KeptItems.DEFAULT_LIMIT, (key, view, schedules) -> {
            encoded.addAndGet(schedules.size());
            return ItemEncoder.JSON.encode(key, view, schedules);
        });
        SegmentKey key = new SegmentKey("p", "e", "big");
        Map<TargetRef, ExpiringTarget> schedules = users(15_000);
        Segment segment = segment(key, schedules);
        assertItems(segment, ExpiringView.USERS, kept.items(unchanged(segment), ExpiringView.USERS));
        assertEquals(15_000, encoded.getAndSet(0));

        TargetRef moved = new TargetRef(TargetType.INCLUDED, "user", "user-7");
        schedules.put(moved, schedules.get(moved).movedTo(DATES[0] - 1));
        segment = segment(key, schedules);
        assertItems(segment, ExpiringView.USERS, kept.items(unchanged(segment), ExpiringView.USERS));
        assertEquals(1, encoded.getAndSet(0), "one schedule moved");

        schedules.remove(new TargetRef(TargetType.INCLUDED, "user", "user-8"));
        segment = segment(key, schedules);
        assertItems(segment, ExpiringView.USERS, kept.items(unchanged(segment), ExpiringView.USERS));
        assertEquals(0, encoded.getAndSet(0), "one schedule cancelled");

        TargetRef added = new TargetRef(TargetType.INCLUDED, "user", "user-15000");
        schedules.put(added, new ExpiringTarget("id-new", 1, DATES[1], added));
        segment = segment(key, schedules);
        assertItems(segment, ExpiringView.USERS, kept.items(unchanged(segment), ExpiringView.USERS));
        assertEquals(1, encoded.getAndSet(0), "one schedule added");

        segment = segment(key, schedules);
        assertItems(segment, ExpiringView.USERS, kept.items(unchanged(segment), ExpiringView.USERS));
        assertEquals(0, encoded.getAndSet(0), "nothing changed");
    }

    /**
     * Thousands of schedules (many groups), changed a few at a time, at the ends too, then one,
     * then none: the items are the whole written ones, in the groups a cold start would cut.
     */
    @Test
    void manyGroupsAreTheWholeWrittenItemsAcrossSmallChanges() {
        Random random = new Random(1953);
        SegmentKey key = new SegmentKey("p", "e", "many");
        Map<TargetRef, ExpiringTarget> schedules = users(3_000);
        KeptItems kept = new KeptItems(KeptItems.DEFAULT_LIMIT, ItemEncoder.JSON);
        Segment last = segment(key, Map.of());
        for (int version = 0; version < 80; version++) {
            Segment segment = segment(key, schedules);
            Revision revision = version % 2 == 0 ? new Revision(last, segment, List.of(), touched(last, segment)) : unchanged(segment);
            ExpiringItems items = kept.items(revision, ExpiringView.USERS);
            assertItems(segment, ExpiringView.USERS, items);
            assertEquals(sizes(ExpiringItems.of(segment, ExpiringView.USERS, ItemEncoder.JSON)), sizes(items),
                    "groups as cut from scratch, version " + version);
            last = segment;
            changeAFew(schedules, random, version);
        }
        TargetRef only = new TargetRef(TargetType.INCLUDED, "user", "only");
        for (Segment segment : List.of(segment(key, Map.of(only, new ExpiringTarget("id", 1, 1L, only))), segment(key, Map.of()))) {
            assertItems(segment, ExpiringView.USERS, kept.items(unchanged(segment), ExpiringView.USERS));
        }
    }

    private static List<Integer> sizes(ExpiringItems items) {
        return items.groups().stream().map(ExpiringItems.Group::size).toList();
    }

    /** One to three schedules of {@code schedules} cancelled, moved (first, last or among others) or added. */
    static void changeAFew(Map<TargetRef, ExpiringTarget> schedules, Random random, int version) {
        List<TargetRef> refs = List.copyOf(schedules.keySet());
        for (int change = 1 + random.nextInt(3); change > 0 && !refs.isEmpty(); change--) {
            TargetRef ref = refs.get(random.nextInt(refs.size()));
            switch (random.nextInt(5)) {
                case 0 -> schedules.remove(ref);
                case 1 -> schedules.put(ref, schedules.get(ref).movedTo(DATES[0] - 1 - random.nextInt(3)));
                case 2 -> schedules.put(ref, schedules.get(ref).movedTo(DATES[3] + 1 + random.nextInt(3)));
                case 3 -> schedules.put(ref, schedules.get(ref).movedTo(DATES[random.nextInt(4)]));
                default -> {
                    TargetRef added = new TargetRef(TargetType.INCLUDED, "user", "added-" + version + "-" + change);
                    schedules.put(added, new ExpiringTarget("id-" + added.key(), 1, DATES[random.nextInt(4)], added));
                }
            }
        }
    }

    /**
     * A change of one schedule among 15,000 makes anew only the groups it leaves and joins (a few
     * tens of KB), and shares the others with the items before it: it copies no megabytes.
     */
    @Test
    void aChangeMakesAnewOnlyTheGroupsItFallsIn() {
        KeptItems kept = new KeptItems(KeptItems.DEFAULT_LIMIT, ItemEncoder.JSON);
        SegmentKey key = new SegmentKey("p", "e", "groups");
        Map<TargetRef, ExpiringTarget> schedules = users(15_000);
        Segment segment = segment(key, schedules);
        ExpiringItems items = kept.items(unchanged(segment), ExpiringView.USERS);
        assertTrue(items.groups().size() > 50, items.groups().size() + " groups");
        TargetRef moved = new TargetRef(TargetType.INCLUDED, "user", "user-7");
        TargetRef added = new TargetRef(TargetType.INCLUDED, "user", "user-15000");
        List<Runnable> changes = List.of(
                () -> schedules.put(moved, schedules.get(moved).movedTo(DATES[2] + 1)),
                () -> schedules.remove(new TargetRef(TargetType.INCLUDED, "user", "user-8")),
                () -> schedules.put(added, new ExpiringTarget("id-new", 1, DATES[1], added)),
                () -> schedules.put(moved, schedules.get(moved).movedTo(1L)),
                () -> schedules.put(moved, schedules.get(moved).movedTo(Long.MAX_VALUE)));
        for (Runnable change : changes) {
            change.run();
            Segment next = segment(key, schedules);
            ExpiringItems after = kept.items(new Revision(segment, next, List.of(), touched(segment, next)), ExpiringView.USERS);
            assertItems(next, ExpiringView.USERS, after);
            Set<ExpiringItems.Group> before = Collections.newSetFromMap(new IdentityHashMap<>());
            before.addAll(items.groups());
            List<ExpiringItems.Group> made = after.groups().stream().filter(group -> !before.contains(group)).toList();
            long bytes = made.stream().mapToLong(group -> group.bytes().length).sum();
            assertTrue(made.size() <= 3 && bytes < 200_000, made.size() + " groups made anew, " + bytes + " bytes");
            segment = next;
            items = after;
        }
    }

    /**
     * A PATCH's answer looks up only the targets its revision touched: a schedule changed behind
     * the revision's back (which a store never hands over) keeps its old item, and the same
     * change, touched, gets its new one.
     */
    @Test
    void aPatchLooksUpOnlyTheTargetsItTouched() {
        KeptItems kept = new KeptItems(KeptItems.DEFAULT_LIMIT, ItemEncoder.JSON);
        SegmentKey key = new SegmentKey("p", "e", "touched");
        Map<TargetRef, ExpiringTarget> schedules = users(15_000);
        Segment stored = segment(key, schedules);
        kept.items(unchanged(stored), ExpiringView.USERS);
        TargetRef moved = new TargetRef(TargetType.INCLUDED, "user", "user-7");
        schedules.put(moved, schedules.get(moved).movedTo(DATES[0] - 1));
        Segment patched = segment(key, schedules);

        assertItems(stored, ExpiringView.USERS, kept.items(new Revision(stored, patched, List.of(), Set.of()), ExpiringView.USERS));

        KeptItems fresh = new KeptItems(KeptItems.DEFAULT_LIMIT, ItemEncoder.JSON);
        fresh.items(unchanged(stored), ExpiringView.USERS);
        assertItems(patched, ExpiringView.USERS, fresh.items(new Revision(stored, patched, List.of(), Set.of(moved)), ExpiringView.USERS));
    }

    /** A GET of a segment nothing changed (the store hands back the schedules it holds) looks through none of its items. */
    @Test
    void theSameSchedulesAnsweredAgainAreTheKeptItemsAsTheyAre() {
        KeptItems kept = new KeptItems(KeptItems.DEFAULT_LIMIT, ItemEncoder.JSON);
        Segment segment = segment(new SegmentKey("p", "e", "same"), users(1_000));
        ExpiringItems first = kept.items(unchanged(segment), ExpiringView.USERS);
        assertSame(first, kept.items(unchanged(segment), ExpiringView.USERS));
        assertItems(segment, ExpiringView.USERS, first);
    }

    @Test
    void keptItemsStayWithinTheirBound() {
        AtomicLong encoded = new AtomicLong();
        ItemEncoder counting = (key, view, schedules) -> {
            encoded.addAndGet(schedules.size());
            return ItemEncoder.JSON.encode(key, view, schedules);
        };
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            segments.add(segment(new SegmentKey("p", "e", "s" + i), users(40)));
        }
        long each = ExpiringItems.of(segments.get(0), ExpiringView.CONTEXTS, ItemEncoder.JSON).weight();
        long limit = 2 * each + each / 2;
        KeptItems kept = new KeptItems(limit, counting);
        for (Segment segment : segments) {
            assertItems(segment, ExpiringView.CONTEXTS, kept.items(unchanged(segment), ExpiringView.CONTEXTS));
            assertTrue(kept.weight() <= limit, kept.weight() + " kept, bound " + limit);
        }
        assertEquals(2, kept.size(), "segments kept");

        Segment last = segments.get(segments.size() - 1);
        encoded.set(0);
        assertItems(last, ExpiringView.CONTEXTS, kept.items(unchanged(last), ExpiringView.CONTEXTS));
        assertEquals(0, encoded.get(), "the most recent segment is kept");
        Segment first = segments.get(0);
        assertItems(first, ExpiringView.CONTEXTS, kept.items(unchanged(first), ExpiringView.CONTEXTS));
        assertEquals(first.schedules().size(), encoded.get(), "the least recent is gone");

        KeptItems tiny = new KeptItems(ExpiringItems.PER_ITEM, counting);
        assertItems(first, ExpiringView.CONTEXTS, tiny.items(unchanged(first), ExpiringView.CONTEXTS));
        assertEquals(0, tiny.size(), "items heavier than the bound are not kept");
        assertEquals(0, tiny.weight());
    }

    /** The answer is the one written whole, and its escaped parts are that answer escaped. */
    private static void assertAnswer(byte[] written, JsonAnswer answer, String what) {
        assertArrayEquals(written, ByteBufUtil.getBytes(answer.body()), what);
        JsonStringBytes.Escaped whole = JsonStringBytes.escape(written, 0, written.length, null);
        assertArrayEquals(Arrays.copyOf(whole.bytes(), whole.length()), joined(answer.escaped()), what + ", escaped");
    }

    private static void assertItems(Segment segment, ExpiringView view, ExpiringItems items) {
        byte[] array = json(items(segment, view));
        assertArrayEquals(Arrays.copyOfRange(array, 1, array.length - 1), joined(items.bytes()));
        JsonStringBytes.Escaped escaped = JsonStringBytes.escape(array, 1, array.length - 2, null);
        assertArrayEquals(Arrays.copyOf(escaped.bytes(), escaped.length()), joined(items.escaped()), "escaped");
    }

    static byte[] joined(List<ByteBuffer> parts) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (ByteBuffer part : parts) {
            joined.write(part.array(), part.arrayOffset() + part.position(), part.remaining());
        }
        return joined.toByteArray();
    }

    /** The answer as a tree of the representation, written whole ({@code total} null for a GET). */
    static byte[] written(Segment segment, ExpiringView view, Integer total, List<InstructionError> errors) {
        ObjectNode answer = AnswerSizeTest.JSON.createObjectNode();
        answer.set("items", items(segment, view));
        answer.set("_links", Links.of("self", view.path(segment.key()), "parent", SegmentJson.segmentPath(segment.key())));
        if (total != null) {
            answer.put("totalInstructions", total);
            answer.put("successfulInstructions", total - errors.size());
            answer.put("failedInstructions", errors.size());
            ArrayNode entries = answer.putArray("errors");
            for (InstructionError error : errors) {
                entries.addObject().put("instructionIndex", error.instructionIndex()).put("message", error.message());
            }
        }
        return json(answer);
    }

    private static ArrayNode items(Segment segment, ExpiringView view) {
        ArrayNode items = AnswerSizeTest.JSON.createArrayNode();
        // Text first, as the answers always wrote it: Jackson writes a character beyond 16 bits
        // as two escapes in a string value, as 4 UTF-8 bytes in text set in raw.
        ObjectNode resourceId = AnswerSizeTest.JSON.createObjectNode().put("kind", "segment").put("projectKey", segment.key().projectKey())
                .put("environmentKey", segment.key().environmentKey()).put("key", segment.key().key());
        RawValue resource = new RawValue(text(resourceId));
        for (ExpiringTarget schedule : segment.expiringTargets()) {
            if (view == ExpiringView.CONTEXTS || schedule.target().isUser()) {
                ObjectNode item = items.addObject().put("_id", schedule.id()).put("_version", schedule.version())
                        .put("expirationDate", schedule.expirationDate());
                if (view == ExpiringView.USERS) {
                    item.put("userKey", schedule.target().key());
                } else {
                    item.put("contextKey", schedule.target().key()).put("contextKind", schedule.target().contextKind());
                }
                item.put("targetType", schedule.target().type().wire());
                item.putRawValue("_resourceId", resource);
            }
        }
        return items;
    }

    private static String text(JsonNode node) {
        try {
            return AnswerSizeTest.JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] json(JsonNode node) {
        try {
            return AnswerSizeTest.JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A segment holding {@code schedules} and a few random ones more, users and other kinds, on few dates. */
    static Segment segment(SegmentKey key, Random random, Map<TargetRef, ExpiringTarget> schedules) {
        Map<TargetRef, ExpiringTarget> next = new HashMap<>(schedules);
        for (int i = random.nextInt(schedules.isEmpty() ? 80 : 6); i > 0; i--) {
            TargetRef ref = new TargetRef(random.nextBoolean() ? TargetType.INCLUDED : TargetType.EXCLUDED,
                    KINDS[random.nextInt(KINDS.length)], random.nextInt(4) == 0 ? word(random, 30) : "k" + random.nextInt(200));
            next.put(ref, new ExpiringTarget(Long.toHexString(random.nextLong()), 1, DATES[random.nextInt(DATES.length)], ref));
        }
        return segment(key, next);
    }

    /** The schedules of {@code segment}, some moved (some to a date others share), some cancelled, some made again. */
    static Map<TargetRef, ExpiringTarget> changed(Segment segment, Random random) {
        Map<TargetRef, ExpiringTarget> next = new HashMap<>();
        for (ExpiringTarget schedule : segment.schedules().values()) {
            int change = random.nextInt(12);
            if (change == 0) {
                next.put(schedule.target(), schedule.movedTo(DATES[random.nextInt(DATES.length)]));
            } else if (change == 1) {
                next.put(schedule.target(), new ExpiringTarget(Long.toHexString(random.nextLong()), 1, schedule.expirationDate(),
                        schedule.target()));
            } else if (change > 2) {
                next.put(schedule.target(), schedule);
            }
        }
        return next;
    }

    static String word(Random random, int maxChars) {
        StringBuilder out = new StringBuilder();
        for (int i = 1 + random.nextInt(maxChars); i > 0; i--) {
            out.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return out.toString();
    }

    /** {@code count} user schedules, a quarter of them on each of a few dates. */
    static Map<TargetRef, ExpiringTarget> users(int count) {
        Map<TargetRef, ExpiringTarget> schedules = new HashMap<>();
        for (int i = 0; i < count; i++) {
            TargetRef user = new TargetRef(TargetType.INCLUDED, "user", "user-" + i);
            schedules.put(user, new ExpiringTarget("id-" + i, 1, DATES[i % DATES.length], user));
        }
        return schedules;
    }

    /** The segment as a store hands it back, with no change of its own. */
    static Revision unchanged(Segment segment) {
        return new Revision(segment, segment, List.of(), Set.of());
    }

    /** Every target whose schedule differs between the two segments. */
    static Set<TargetRef> touched(Segment from, Segment to) {
        Set<TargetRef> touched = new HashSet<>();
        from.schedules().forEach((target, schedule) -> {
            if (!schedule.equals(to.schedules().get(target))) {
                touched.add(target);
            }
        });
        to.schedules().forEach((target, schedule) -> {
            if (!schedule.equals(from.schedules().get(target))) {
                touched.add(target);
            }
        });
        return touched;
    }

    static Segment segment(SegmentKey key, Map<TargetRef, ExpiringTarget> schedules) {
        return new Segment(key, "S", null, List.of(), 1L, 1L, 1L, Set.copyOf(schedules.keySet()), schedules);
    }
}
