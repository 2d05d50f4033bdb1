package dev.segments.segment.api;

import dev.segments.segment.api.ExpiringItems.Group;
import dev.segments.segment.api.RawDeflate.Fragment;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The items of an expiring-targets answer deflated group by group ({@link ExpiringItems.Group}),
 * kept so that the gzip form of the next answer of the same segment and view compresses only
 * the groups made anew ({@link #of}), and is assembled from them ({@link #answer}): a gzip
 * member is a header, one deflate stream and a trailer (the CRC-32 and length of the whole),
 * and the stream may be made of fragments deflated on their own ({@link RawDeflate}). Deflating
 * a 15,000-schedule answer (3.5 MB) whole takes tens of milliseconds of a core, several times
 * that at the 29% of one the function has at 512 MB: more than everything else a big GET or
 * PATCH does (GzipItemsBenchmark, PowerTuningBenchmark).
 *
 * <p>A group is never changed once made, and the versions that have the same run of items share
 * it, so a group deflated before is known by its identity. The answer is a little larger than
 * one deflate stream of it: each group starts with an empty window and ends with a sync flush,
 * and so does each comma between groups (the benchmark reports by how much).
 */
final class GzipItems {

    /** Memory a group's fragment takes beyond its deflated bytes: its array, record and map entry. */
    static final long PER_GROUP = 160;

    /**
     * A gzip header (RFC 1952): deflate, no name or time, no hint of level, made on Unix (3;
     * GZIPOutputStream writes "unknown", 255, which tells the two apart in tests).
     */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    private static final int TRAILER = 8;
    private static final Fragment COMMA;

    static {
        try (RawDeflate deflate = new RawDeflate()) {
            COMMA = deflate.flushed(new byte[] {','}, 0, 1);
        }
    }

    static final GzipItems NONE = new GzipItems(new Fragment[0], new IdentityHashMap<>(), 0);

    /** The groups' fragments, in answer order. */
    private final Fragment[] fragments;
    private final Map<Group, Fragment> byGroup;
    private final int deflated;
    private final long weight;

    private GzipItems(Fragment[] fragments, Map<Group, Fragment> byGroup, int deflated) {
        this.fragments = fragments;
        this.byGroup = byGroup;
        this.deflated = deflated;
        long weight = 0;
        for (Fragment fragment : fragments) {
            weight += PER_GROUP + fragment.deflated().length;
        }
        this.weight = weight;
    }

    /** The groups of {@code items} deflated, those {@code previous} (the same segment and view, any version) has taken as they are. */
    static GzipItems of(ExpiringItems items, GzipItems previous) {
        List<Group> groups = items.groups();
        Fragment[] fragments = new Fragment[groups.size()];
        Map<Group, Fragment> byGroup = new IdentityHashMap<>(2 * groups.size());
        int deflated = 0;
        try (RawDeflate deflate = new RawDeflate()) {
            for (int i = 0; i < fragments.length; i++) {
                Group group = groups.get(i);
                Fragment fragment = previous.byGroup.get(group);
                if (fragment == null) {
                    fragment = deflate.flushed(group.bytes(), 0, group.bytes().length);
                    deflated++;
                }
                fragments[i] = fragment;
                byGroup.put(group, fragment);
            }
        }
        return new GzipItems(fragments, byGroup, deflated);
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
        long size = HEADER.length + head.deflated().length + tail.deflated().length + TRAILER
                + (long) Math.max(0, fragments.length - 1) * COMMA.deflated().length;
        for (Fragment fragment : fragments) {
            size += fragment.deflated().length;
        }
        byte[] gzip = new byte[Math.toIntExact(size)];
        System.arraycopy(HEADER, 0, gzip, 0, HEADER.length);
        int at = put(gzip, HEADER.length, head.deflated());
        int crc = head.crc();
        long length = head.length();
        for (int i = 0; i < fragments.length; i++) {
            for (Fragment fragment : i == 0 ? List.of(fragments[i]) : List.of(COMMA, fragments[i])) {
                at = put(gzip, at, fragment.deflated());
                crc = Crc32Combine.combineShifted(crc, fragment.crc(), fragment.shift());
                length += fragment.length();
            }
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
        return fragments.length;
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
