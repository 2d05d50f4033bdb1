package dev.segments.segment.store;

import dev.segments.segment.SegmentKey;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The segments this instance last read or wrote, as a write may start from them: a PATCH
 * computes its revision on the kept segment and sends its conditional PutItem at once, and
 * reads the head only when the condition fails (another writer moved it on), when the PATCH
 * would write nothing or refuses (its answer must come from the segment as it is), or when the
 * kept environment check is too old. Reads (GET) always read.
 *
 * <p>The condition on {@code version} and {@code incarnation} makes a write against a stale
 * head fail, but it does not see the project item: the check that the segment's environment
 * still exists is as old as the read that kept it. So a kept segment is used only within
 * {@link #TRUST_MILLIS} of that read, and deleting an environment or project in this instance
 * forgets every kept segment. A write on another instance up to that long after a deletion may
 * be applied and answered 200; the cleanup of the deleted environment, whose pass begins two
 * minutes after the deletion at the earliest, removes it (see docs/behaviour.md).
 *
 * <p>Bounded by the targets the kept segments hold (their chunks are shared with the
 * {@link ChunkCache}); the least recently used go first.
 */
final class KeptHeads {

    /** How long after its environment was checked a kept segment may be written against. */
    static final long TRUST_MILLIS = 1000;

    private static final int MAX_SEGMENTS = 1000;
    private static final long MAX_TARGETS = 60_000;

    /** A kept segment, and when its environment was last checked (the read it comes from). */
    record Kept(SegmentStore.Stored stored, long checkedAt) {
    }

    private final LinkedHashMap<SegmentKey, Kept> kept = new LinkedHashMap<>(64, 0.75f, true);
    private long targets;

    /** The kept segment, if its environment was checked no longer than {@link #TRUST_MILLIS} before {@code now}. */
    synchronized Optional<Kept> fresh(SegmentKey key, long now) {
        Kept entry = kept.get(key);
        return entry != null && now - entry.checkedAt() <= TRUST_MILLIS ? Optional.of(entry) : Optional.empty();
    }

    synchronized void keep(SegmentKey key, Kept segment) {
        Kept previous = kept.put(key, segment);
        targets += size(segment.stored()) - (previous == null ? 0 : size(previous.stored()));
        Iterator<Map.Entry<SegmentKey, Kept>> eldest = kept.entrySet().iterator();
        while ((targets > MAX_TARGETS || kept.size() > MAX_SEGMENTS) && eldest.hasNext()) {
            targets -= size(eldest.next().getValue().stored());
            eldest.remove();
        }
    }

    /** Forgets the kept segment, handing back what was kept, if anything. */
    synchronized Optional<Kept> forget(SegmentKey key) {
        Kept previous = kept.remove(key);
        if (previous != null) {
            targets -= size(previous.stored());
        }
        return Optional.ofNullable(previous);
    }

    synchronized void forgetAll() {
        kept.clear();
        targets = 0;
    }

    private static long size(SegmentStore.Stored stored) {
        return stored.segment().targets().size();
    }
}
