package dev.segments.segment.api;

import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.Revision;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.TargetRef;
import dev.segments.segment.TargetType;
import dev.segments.web.JsonAnswer;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The gzip form of the 15,000-schedule answer (LargestSegment's shape: every user of the
 * largest segment scheduled on one date), old and new, in one run on the JVM: the whole answer
 * compressed at level 1 as {@link dev.segments.web.GzipResponses} does it for any answer, against
 * the answer's own gzip form assembled from kept groups ({@link GzipItems}), for a GET of an
 * unchanged segment and a PATCH that moves one schedule; the sizes; the trailer's CRC-32 over
 * the answer against combined from the groups'. Prints figures and ratios; asserts nothing.
 */
@Tag("benchmark")
class GzipItemsBenchmark {

    static final int USERS = 15_000;
    static final int WARMUP = 30;
    static final int SAMPLES = 40;
    static final long DUE = 1_800_000_000_000L;

    @Test
    void gzipOfFifteenThousandSchedules() throws Exception {
        Random random = new Random(16);
        SegmentKey key = new SegmentKey("largest-project", "production", "largest");
        Map<TargetRef, ExpiringTarget> schedules = new HashMap<>();
        for (int i = 0; i < USERS; i++) {
            TargetRef user = new TargetRef(TargetType.INCLUDED, "user", String.format("user-%05d@example.com", i));
            byte[] id = new byte[12];
            random.nextBytes(id);
            schedules.put(user, new ExpiringTarget(HexFormat.of().formatHex(id), 1, DUE, user));
        }
        Segment segment = ExpiringAnswerTest.segment(key, schedules);
        Revision unchanged = ExpiringAnswerTest.unchanged(segment);
        JsonAnswer get = ExpiringAnswer.of(unchanged, ExpiringView.USERS);
        byte[] plain = ByteBufUtil.getBytes(get.body());
        byte[] whole = wholeGzip(plain);
        byte[] own = get.gzip().get();

        // A GET of the unchanged segment: its kept items and groups as they are.
        long wholeGet = median(() -> wholeGzip(ByteBufUtil.getBytes(ExpiringAnswer.of(unchanged, ExpiringView.USERS).body())));
        long ownGet = median(() -> ExpiringAnswer.of(unchanged, ExpiringView.USERS).gzip().get());
        // A PATCH moving one schedule there and back: the items' merge, then one group or a few deflated again.
        TargetRef moved = new TargetRef(TargetType.INCLUDED, "user", "user-07000@example.com");
        List<Segment> versions = new ArrayList<>();
        for (long date : new long[] {DUE + 60_000, DUE}) {
            Map<TargetRef, ExpiringTarget> next = new HashMap<>(schedules);
            next.put(moved, schedules.get(moved).movedTo(date));
            versions.add(ExpiringAnswerTest.segment(key, next));
        }
        // As a PATCH's revision: from the version answered last, touching the one target.
        List<Revision> revisions = List.of(new Revision(versions.get(1), versions.get(0), List.of(), Set.of(moved)),
                new Revision(versions.get(0), versions.get(1), List.of(), Set.of(moved)));
        int[] n = {0};
        Supplier<Revision> patched = () -> revisions.get(n[0]++ % 2);
        long wholePatch = median(() -> wholeGzip(ByteBufUtil.getBytes(ExpiringAnswer.patched(patched.get(), ExpiringView.USERS, 1, List.of())
                .body())));
        long plainPatch = median(() -> ExpiringAnswer.patched(patched.get(), ExpiringView.USERS, 1, List.of()).body());
        long ownPatch = median(() -> ExpiringAnswer.patched(patched.get(), ExpiringView.USERS, 1, List.of()).gzip().get());
        ExpiringItems fresh = ExpiringItems.of(segment, ExpiringView.USERS, ItemEncoder.JSON);
        long cold = median(() -> GzipItems.of(fresh, GzipItems.NONE));
        long plainGet = median(() -> ExpiringAnswer.of(unchanged, ExpiringView.USERS).body());

        KeptItems kept = new KeptItems(KeptItems.DEFAULT_LIMIT, ItemEncoder.JSON);
        ExpiringItems items = kept.items(unchanged, ExpiringView.USERS);
        GzipItems groups = kept.gzip(key, ExpiringView.USERS, items);
        long crcWhole = median(() -> {
            CRC32 crc = new CRC32();
            crc.update(plain, 0, plain.length);
            return crc.getValue();
        });
        int shift = Crc32Combine.shift(15_000);
        long crcCombined = median(() -> {
            int crc = 0;
            for (int i = 0; i < groups.groups(); i++) {
                crc = Crc32Combine.combineShifted(crc, i, shift);
            }
            return crc;
        });

        System.out.printf(Locale.ROOT, "%nBENCHMARK gzip of the %,d-schedule answer (%,d bytes), JVM %s, medians of %d%n", USERS, plain.length,
                System.getProperty("java.version"), SAMPLES);
        System.out.printf(Locale.ROOT, "size: whole level-1 gzip %,d bytes (%.1f%%), from %d kept groups %,d bytes (%.1f%%): %+.1f%%%n",
                whole.length, 100.0 * whole.length / plain.length, groups.groups(), own.length, 100.0 * own.length / plain.length,
                100.0 * (own.length - whole.length) / whole.length);
        System.out.printf(Locale.ROOT, "GET, unchanged segment: answer %.2f ms; answer and gzip: whole %.2f ms, from kept groups %.3f ms (%.0fx less)%n",
                plainGet / 1e6, wholeGet / 1e6, ownGet / 1e6, (double) wholeGet / ownGet);
        System.out.printf(Locale.ROOT, "PATCH moving one schedule: answer %.2f ms; answer and gzip: whole %.2f ms, from kept groups %.2f ms"
                + " (%.1fx less)%n", plainPatch / 1e6, wholePatch / 1e6, ownPatch / 1e6, (double) wholePatch / ownPatch);
        System.out.printf(Locale.ROOT, "every group deflated (the first gzip answer of a segment): %.2f ms, %.2fx the whole gzip%n", cold / 1e6,
                (double) cold / wholeGet);
        System.out.printf(Locale.ROOT, "trailer CRC-32: over the %,d bytes %.3f ms, combined from %d groups' %.3f ms (%.1fx less)%n", plain.length,
                crcWhole / 1e6, groups.groups(), crcCombined / 1e6, (double) crcWhole / crcCombined);
        System.out.printf(Locale.ROOT, "kept weight: items %,d bytes, groups %,d bytes (+%.1f%%), bound %,d%n%n", items.weight(), groups.weight(),
                100.0 * groups.weight() / items.weight(), KeptItems.DEFAULT_LIMIT);
    }

    /** As GzipResponses compresses an answer that has no gzip form of its own. */
    private static byte[] wholeGzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, plain.length / 6));
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gzip.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The median nanoseconds of {@code work}, after a warm-up. */
    private static long median(Supplier<?> work) {
        Object sink = null;
        for (int i = 0; i < WARMUP; i++) {
            sink = work.get();
        }
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            long start = System.nanoTime();
            sink = work.get();
            times.add(System.nanoTime() - start);
        }
        if (sink == null) {
            throw new IllegalStateException();
        }
        Collections.sort(times);
        return times.get(SAMPLES / 2);
    }
}
