package dev.segments.segment.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.Revision;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentPatches.InstructionError;
import dev.segments.segment.TargetRef;
import dev.segments.segment.TargetType;
import dev.segments.web.JsonAnswer;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The gzip form of an expiring-targets answer, assembled from groups of items deflated earlier,
 * decodes to the answer byte for byte over segments that change from version to version, and
 * a warm one deflates only the groups whose items changed.
 */
class GzipItemsTest {

    private Segment last;

    @Test
    void theGzipFormIsTheAnswerAcrossVersions() {
        Random random = new Random(1952);
        for (int round = 0; round < 40; round++) {
            SegmentKey key = round % 3 == 0 ? new SegmentKey("p", "e", "gz" + round)
                    : new SegmentKey(ExpiringAnswerTest.word(random, 40), ExpiringAnswerTest.word(random, 40), "gz" + round);
            Segment segment = ExpiringAnswerTest.segment(key, random, Map.of());
            Revision revision = ExpiringAnswerTest.unchanged(segment);
            for (int version = 0; version < 12; version++) {
                for (ExpiringView view : ExpiringView.values()) {
                    assertGzipIsBody(ExpiringAnswer.of(revision, view), "GET, round " + round + ", version " + version + ", " + view);
                    List<InstructionError> errors = random.nextBoolean() ? List.of()
                            : List.of(new InstructionError(random.nextInt(5), ExpiringAnswerTest.word(random, 50)));
                    assertGzipIsBody(ExpiringAnswer.patched(revision, view, 5, errors),
                            "PATCH, round " + round + ", version " + version + ", " + view);
                }
                Segment next = random.nextInt(10) == 0 ? ExpiringAnswerTest.segment(key, random, Map.of())
                        : ExpiringAnswerTest.segment(key, random, ExpiringAnswerTest.changed(segment, random));
                revision = random.nextBoolean() ? patch(segment, next) : ExpiringAnswerTest.unchanged(next);
                segment = next;
            }
        }
    }

    /** Thousands of schedules (many groups), changed a few at a time, at the ends too; then one, then none. */
    @Test
    void theGzipFormOfManyGroupsIsTheAnswerAcrossSmallChanges() {
        Random random = new Random(1951);
        SegmentKey key = new SegmentKey("p", "e", "gz-many");
        Map<TargetRef, ExpiringTarget> schedules = ExpiringAnswerTest.users(3_000);
        KeptItems kept = new KeptItems(KeptItems.DEFAULT_LIMIT, ItemEncoder.JSON);
        for (int version = 0; version < 60; version++) {
            Segment segment = ExpiringAnswerTest.segment(key, schedules);
            assertGzipIsItems(kept, segment, "version " + version);
            ExpiringAnswerTest.changeAFew(schedules, random, version);
        }
        TargetRef only = new TargetRef(TargetType.INCLUDED, "user", "only");
        assertGzipIsItems(kept, ExpiringAnswerTest.segment(key, Map.of(only, new ExpiringTarget("id", 1, 1L, only))), "one item");
        assertGzipIsItems(kept, ExpiringAnswerTest.segment(key, Map.of()), "no items");
        assertGzipIsItems(kept, ExpiringAnswerTest.segment(key, Map.of(only, new ExpiringTarget("id", 1, 1L, only))), "one again");
    }

    @Test
    void aWarmGzipOfFifteenThousandSchedulesDeflatesOnlyTheChangedGroups() {
        KeptItems kept = new KeptItems(KeptItems.DEFAULT_LIMIT, ItemEncoder.JSON);
        SegmentKey key = new SegmentKey("p", "e", "gz-big");
        Map<TargetRef, ExpiringTarget> schedules = ExpiringAnswerTest.users(15_000);
        GzipItems gzip = assertGzipIsItems(kept, ExpiringAnswerTest.segment(key, schedules), "cold");
        assertEquals(gzip.groups(), gzip.deflated(), "a cold answer deflates every group");
        assertTrue(gzip.groups() > 50, gzip.groups() + " groups");

        TargetRef moved = new TargetRef(TargetType.INCLUDED, "user", "user-7");
        schedules.put(moved, schedules.get(moved).movedTo(ExpiringAnswerTest.DATES[2] + 1));
        assertDeflated(1, 3, assertGzipIsItems(kept, ExpiringAnswerTest.segment(key, schedules), "one moved"), "one schedule moved");

        schedules.remove(new TargetRef(TargetType.INCLUDED, "user", "user-8"));
        assertDeflated(1, 1, assertGzipIsItems(kept, ExpiringAnswerTest.segment(key, schedules), "one cancelled"), "one cancelled");

        TargetRef added = new TargetRef(TargetType.INCLUDED, "user", "user-15000");
        schedules.put(added, new ExpiringTarget("id-new", 1, ExpiringAnswerTest.DATES[1], added));
        assertDeflated(1, 2, assertGzipIsItems(kept, ExpiringAnswerTest.segment(key, schedules), "one added"), "one added");

        TargetRef first = new TargetRef(TargetType.INCLUDED, "user", "user-9");
        schedules.put(first, schedules.get(first).movedTo(1L));
        assertDeflated(2, 3, assertGzipIsItems(kept, ExpiringAnswerTest.segment(key, schedules), "one moved first"), "moved first");
        TargetRef last = new TargetRef(TargetType.INCLUDED, "user", "user-10");
        schedules.put(last, schedules.get(last).movedTo(Long.MAX_VALUE));
        assertDeflated(2, 3, assertGzipIsItems(kept, ExpiringAnswerTest.segment(key, schedules), "one moved last"), "moved last");

        assertDeflated(0, 0, assertGzipIsItems(kept, ExpiringAnswerTest.segment(key, new HashMap<>(schedules)), "same"), "nothing changed");
        Segment same = ExpiringAnswerTest.segment(key, schedules);
        ExpiringItems items = kept.items(ExpiringAnswerTest.unchanged(same), ExpiringView.USERS);
        assertSame(kept.gzip(key, ExpiringView.USERS, items), kept.gzip(key, ExpiringView.USERS, items), "the same items, the same groups");
        assertEquals(items.weight() + kept.gzip(key, ExpiringView.USERS, items).weight(), kept.weight(), "the groups count in the bound");
    }

    private static void assertDeflated(int least, int most, GzipItems gzip, String message) {
        assertTrue(gzip.deflated() >= least && gzip.deflated() <= most, message + ": " + gzip.deflated() + " of " + gzip.groups()
                + " groups deflated again");
    }

    /** A PATCH's revision: from one segment to the next, naming the targets whose schedules differ. */
    private static Revision patch(Segment from, Segment to) {
        return new Revision(from, to, List.of(), ExpiringAnswerTest.touched(from, to));
    }

    /**
     * The gzip form of the kept items of {@code segment} (as a PATCH from the last segment answered
     * here gives it, else as a GET) decodes to them, set in a frame; the groups.
     */
    private GzipItems assertGzipIsItems(KeptItems kept, Segment segment, String message) {
        Revision revision = last != null && last.key().equals(segment.key()) ? patch(last, segment) : ExpiringAnswerTest.unchanged(segment);
        last = segment;
        ExpiringItems items = kept.items(revision, ExpiringView.USERS);
        GzipItems gzip = kept.gzip(segment.key(), ExpiringView.USERS, items);
        byte[] frame = "{\"items\":[],\"x\":1}".getBytes();
        byte[] bytes = ExpiringAnswerTest.joined(items.bytes());
        byte[] plain = new byte[frame.length + bytes.length];
        System.arraycopy(frame, 0, plain, 0, 10);
        System.arraycopy(bytes, 0, plain, 10, bytes.length);
        System.arraycopy(frame, 10, plain, 10 + bytes.length, frame.length - 10);
        assertArrayEquals(plain, gunzip(gzip.answer(frame, 10)), message);
        return gzip;
    }

    private static void assertGzipIsBody(JsonAnswer answer, String message) {
        assertArrayEquals(ByteBufUtil.getBytes(answer.body()), gunzip(answer.gzip().get()), message);
    }

    static byte[] gunzip(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
