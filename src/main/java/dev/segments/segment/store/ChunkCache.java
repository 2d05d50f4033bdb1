package dev.segments.segment.store;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded chunks by id, in this instance's memory. A chunk's data never changes once written
 * and its id is never reused ({@link Chunks}), so a cached chunk is always exactly what the
 * store holds under that id: nothing to invalidate, whichever instance changed the segment
 * since. A warm instance reads a big segment's head and only the chunks it has not seen.
 *
 * <p>Bounded by an estimate of the memory the decoded chunks take; the least recently used go
 * first. The default, {@link #DEFAULT_LIMIT}, holds four segments of 15,000 scheduled users at
 * 36-byte keys (about 7 MB each), and is a sixteenth of the function's default 512 MB.
 */
final class ChunkCache {

    static final long DEFAULT_LIMIT = 32L << 20;

    /** Memory a decoded target takes beyond its key: its ref, a schedule with its id, table slots. */
    private static final long PER_TARGET = 300;

    private final long limit;
    private final LinkedHashMap<String, Bucket> byId = new LinkedHashMap<>(256, 0.75f, true);
    private long weight;

    ChunkCache(long limit) {
        this.limit = limit;
    }

    synchronized Bucket get(String chunkId) {
        return byId.get(chunkId);
    }

    synchronized void put(String chunkId, Bucket bucket) {
        Bucket previous = byId.put(chunkId, bucket);
        weight += weight(bucket) - (previous == null ? 0 : weight(previous));
        Iterator<Map.Entry<String, Bucket>> eldest = byId.entrySet().iterator();
        while (weight > limit && eldest.hasNext()) {
            weight -= weight(eldest.next().getValue());
            eldest.remove();
        }
    }

    private static long weight(Bucket bucket) {
        return 2 * bucket.bytes() + PER_TARGET * bucket.targets().size();
    }
}
