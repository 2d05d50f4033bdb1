package dev.segments.segment.api;

import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.api.RawDeflate.Fragment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The items of an expiring-targets answer deflated in groups, kept so that the gzip form of the
 * next answer of the same segment and view compresses only the groups whose items changed
 * ({@link #of}), and is assembled from them ({@link #answer}): a gzip member is a header, one
 * deflate stream and a trailer (the CRC-32 and length of the whole), and the stream may be made
 * of fragments deflated on their own ({@link RawDeflate}). Deflating a 15,000-schedule answer
 * (3.5 MB) whole takes tens of milliseconds of a core, several times that at the 29% of one the
 * function has at 512 MB: more than everything else a big GET or PATCH does
 * (GzipItemsBenchmark, PowerTuningBenchmark).
 *
 * <p>Groups end where the items decide, not at counts: after an item whose key hashes to a
 * value with its top {@link #GROUP_BITS} bits zero (or at {@link #MAX_GROUP} items), so that a
 * schedule added, moved or cancelled changes the group it leaves and the one it joins, and the
 * others are the same runs of items as before. A group of the same schedules (so the same
 * bytes: an item's bytes depend only on its schedule, the segment's key and the view, which an
 * entry of {@link KeptItems} shares) in the same place (first or not, as its leading comma
 * tells) is taken as it was. The answer is a little larger than one deflate stream of it: each
 * group starts with an empty window and ends with a sync flush (the benchmark reports by how much).
 */
final class GzipItems {

    /**
     * Groups of about 2^7 = 128 items (30 KB of JSON) on average: the gzip answer is 5% larger
     * than one deflate stream of it (2.6% with 256, 10% with 64), and a PATCH deflates a few
     * groups (60 to 90 KB) again.
     */
    static final int GROUP_BITS = 7;
    static final int MAX_GROUP = 512;
    /** Memory a group takes beyond its deflated bytes and a reference per item: its arrays, record and map entry. */
    static final long PER_GROUP = 160;

    /**
     * A gzip header (RFC 1952): deflate, no name or time, no hint of level, made on Unix (3;
     * GZIPOutputStream writes "unknown", 255, which tells the two apart in tests).
     */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    private static final int TRAILER = 8;

    private record Group(ExpiringTarget[] schedules, boolean first, Fragment fragment) {
    }

    static final GzipItems NONE = new GzipItems(new Group[0], 0);

    private final Group[] groups;
    /** The groups by their first schedule, to find one a later version still has. */
    private final Map<ExpiringTarget, Group> byFirst;
    private final int deflated;
    private final long weight;

    private GzipItems(Group[] groups, int deflated) {
        this.groups = groups;
        this.deflated = deflated;
        this.byFirst = new HashMap<>(groups.length * 2);
        long weight = 0;
        for (Group group : groups) {
            byFirst.put(group.schedules()[0], group);
            weight += PER_GROUP + group.fragment().deflated().length + 8L * group.schedules().length;
        }
        this.weight = weight;
    }

    /** The groups of {@code items}, those of {@code previous} (the same segment and view, any version) taken where they recur. */
    static GzipItems of(ExpiringItems items, GzipItems previous) {
        Group[] groups = new Group[Math.max(1, items.size() / (1 << GROUP_BITS) * 2)];
        int count = 0;
        int deflated = 0;
        try (RawDeflate deflate = new RawDeflate()) {
            for (int start = 0; start < items.size(); ) {
                int end = groupEnd(items, start);
                ExpiringTarget[] schedules = new ExpiringTarget[end - start];
                for (int i = start; i < end; i++) {
                    schedules[i - start] = items.schedule(i);
                }
                Group before = previous.byFirst.get(schedules[0]);
                Fragment fragment;
                if (before != null && before.first() == (start == 0) && Arrays.equals(before.schedules(), schedules)) {
                    fragment = before.fragment();
                } else {
                    // The group's bytes with the comma before it, so that the groups tile the items.
                    fragment = deflate.flushed(items.bytes(), start == 0 ? 0 : items.end(start - 1), items.end(end - 1));
                    deflated++;
                }
                if (count == groups.length) {
                    groups = Arrays.copyOf(groups, count * 2);
                }
                groups[count++] = new Group(schedules, start == 0, fragment);
                start = end;
            }
        }
        return new GzipItems(Arrays.copyOf(groups, count), deflated);
    }

    /** Where the group starting at {@code start} ends (exclusive). */
    private static int groupEnd(ExpiringItems items, int start) {
        int limit = Math.min(items.size(), start + MAX_GROUP);
        for (int i = start; i < limit; i++) {
            // Fibonacci hashing: the top bits of the product mix every bit of the key's hash.
            if ((items.schedule(i).target().key().hashCode() * 0x9E3779B9) >>> (32 - GROUP_BITS) == 0) {
                return i + 1;
            }
        }
        return limit;
    }

    /**
     * The gzip form of the answer {@code frame} with these items at {@code itemsAt}: the frame's
     * two parts are deflated anew (they are small, and a PATCH's differ each time), the groups
     * are taken as they are, and the trailer's CRC-32 is combined from theirs (one
     * multiplication per group: 9x less than reading the answer's 3.7 MB again, on the JVM).
     */
    byte[] answer(byte[] frame, int itemsAt) {
        Fragment head;
        Fragment tail;
        try (RawDeflate deflate = new RawDeflate()) {
            head = deflate.flushed(frame, 0, itemsAt);
            tail = deflate.finished(frame, itemsAt, frame.length);
        }
        long size = HEADER.length + head.deflated().length + tail.deflated().length + TRAILER;
        for (Group group : groups) {
            size += group.fragment().deflated().length;
        }
        byte[] gzip = new byte[Math.toIntExact(size)];
        System.arraycopy(HEADER, 0, gzip, 0, HEADER.length);
        int at = put(gzip, HEADER.length, head.deflated());
        int crc = head.crc();
        long length = head.length();
        for (Group group : groups) {
            Fragment fragment = group.fragment();
            at = put(gzip, at, fragment.deflated());
            crc = Crc32Combine.combineShifted(crc, fragment.crc(), fragment.shift());
            length += fragment.length();
        }
        at = put(gzip, at, tail.deflated());
        crc = Crc32Combine.combineShifted(crc, tail.crc(), tail.shift());
        length += tail.length();
        littleEndian(gzip, at, crc);
        littleEndian(gzip, at + 4, (int) length); // ISIZE: the length modulo 2^32
        return gzip;
    }

    /** How many groups were deflated to make these (the others were taken from the previous ones). */
    int deflated() {
        return deflated;
    }

    int groups() {
        return groups.length;
    }

    /** An estimate of the memory these groups hold, for the bound of {@link KeptItems}. */
    long weight() {
        return weight;
    }

    private static int put(byte[] target, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, target, at, bytes.length);
        return at + bytes.length;
    }

    private static void littleEndian(byte[] target, int at, int value) {
        for (int i = 0; i < 4; i++) {
            target[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
