package dev.segments.segment.store;

import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.TargetRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a chunked segment's head says of its targets beyond its chunks: each target whose state
 * differs from the chunk of its bucket, with its state now (absent, present, or present with a
 * schedule). A commit carries its changes to a big segment here, in the one write of the head,
 * instead of writing a changed chunk before it; the chunk that would hold them is written at
 * the same time, and a later commit names it in place of the patch's entries once it is known
 * to be stored ({@link Chunks}). Bounded by {@link Layout#patchLimit()}.
 */
final class Patch {

    /** A target's state: absent, or present and maybe scheduled. */
    record Entry(boolean present, ExpiringTarget schedule) {
        static final Entry ABSENT = new Entry(false, null);
        static final Entry PRESENT = new Entry(true, null);

        /** Present, with {@code schedule} if it is not null. */
        static Entry of(ExpiringTarget schedule) {
            return schedule == null ? PRESENT : new Entry(true, schedule);
        }
    }

    static final Patch NONE = new Patch(Map.of());

    private final Map<TargetRef, Entry> entries;
    private final String encoded;

    private Patch(Map<TargetRef, Entry> entries) {
        this.entries = Map.copyOf(entries);
        this.encoded = entries.isEmpty() ? null : SegmentCodec.encodePatch(entries);
    }

    /** The patch a head holds; none for a head without one. */
    static Patch decode(String encoded) {
        return encoded == null ? NONE : new Patch(SegmentCodec.decodePatch(encoded));
    }

    /** As the head holds it; null when empty, and the head holds none. */
    String encoded() {
        return encoded;
    }

    long bytes() {
        return encoded == null ? 0 : SegmentCodec.utf8Length(encoded);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    Set<TargetRef> targets() {
        return entries.keySet();
    }

    /** The buckets this patch has entries in. */
    Set<Integer> buckets(int bucketCount) {
        Set<Integer> buckets = new HashSet<>();
        entries.keySet().forEach(ref -> buckets.add(SegmentCodec.bucketOf(ref, bucketCount)));
        return buckets;
    }

    /** This patch without the entries of {@code buckets}: their chunks hold them now. */
    Patch without(Set<Integer> buckets, int bucketCount) {
        if (buckets.isEmpty()) {
            return this;
        }
        Map<TargetRef, Entry> kept = new HashMap<>(entries);
        kept.keySet().removeIf(ref -> buckets.contains(SegmentCodec.bucketOf(ref, bucketCount)));
        return kept.size() == entries.size() ? this : new Patch(kept);
    }

    /**
     * This patch with the entries of each bucket in {@code now} (the buckets a change made anew,
     * by bucket) replaced by how that bucket differs from its chunk in {@code chunks}: in one
     * pass, however many buckets a change makes anew.
     */
    Patch over(Map<Integer, Bucket> now, List<Bucket> chunks) {
        int bucketCount = chunks.size();
        Map<TargetRef, Entry> changed = new HashMap<>(entries);
        changed.keySet().removeIf(ref -> now.containsKey(SegmentCodec.bucketOf(ref, bucketCount)));
        now.forEach((bucket, after) -> {
            Bucket chunk = chunks.get(bucket);
            for (TargetRef ref : after.targets()) {
                ExpiringTarget schedule = after.schedules().get(ref);
                if (!chunk.targets().contains(ref) || !Objects.equals(schedule, chunk.schedules().get(ref))) {
                    changed.put(ref, Entry.of(schedule));
                }
            }
            for (TargetRef ref : chunk.targets()) {
                if (!after.targets().contains(ref)) {
                    changed.put(ref, Entry.ABSENT);
                }
            }
        });
        return new Patch(changed);
    }

    /** The buckets the segment holds: its chunks' {@code chunks}, one per bucket, as this patch changes them. */
    List<Bucket> apply(List<Bucket> chunks) {
        if (entries.isEmpty()) {
            return chunks;
        }
        List<Bucket> buckets = new ArrayList<>(chunks);
        SegmentCodec.byBucket(entries, chunks.size()).forEach((bucket, changes) -> {
            SegmentCodec.Group group = SegmentCodec.changed(chunks.get(bucket), changes);
            String encoded = SegmentCodec.encode(group.targets(), group.schedules());
            buckets.set(bucket, SegmentCodec.bucket(group.targets(), group.schedules(), SegmentCodec.utf8Length(encoded)));
        });
        return buckets;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Patch patch && entries.equals(patch.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }
}
