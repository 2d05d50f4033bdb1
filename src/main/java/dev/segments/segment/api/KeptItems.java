package dev.segments.segment.api;

import dev.segments.segment.Revision;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The items this instance last answered for a few segments, per view, so that the next answer
 * of the same segment encodes only what changed ({@link ExpiringItems#next}). Whatever an entry
 * holds (an older or a newer version, a segment deleted and made again under the same key),
 * the answer is the same: an entry only saves work, it never decides an answer.
 *
 * <p>Bounded by an estimate of the memory the items take; the least recently used go first,
 * and items heavier than the whole bound are not kept. The default, {@link #DEFAULT_LIMIT},
 * holds both views of a 15,000-user segment (about 12 MB each: 3.5 MB of items, 4 MB of them
 * escaped, and the schedules' share), and is a sixteenth of the function's default 512 MB.
 */
final class KeptItems {

    static final long DEFAULT_LIMIT = 32L << 20;

    private record Key(SegmentKey segment, ExpiringView view) {
    }

    private final long limit;
    private final ItemEncoder encoder;
    private final LinkedHashMap<Key, ExpiringItems> byKey = new LinkedHashMap<>(16, 0.75f, true);
    private long weight;

    KeptItems(long limit, ItemEncoder encoder) {
        this.limit = limit;
        this.encoder = encoder;
    }

    /** The items of the view of {@code revision}'s segment, rendered from the last kept ones when there are some. */
    ExpiringItems items(Revision revision, ExpiringView view) {
        Segment segment = revision.segment();
        Key key = new Key(segment.key(), view);
        ExpiringItems last;
        synchronized (this) {
            last = byKey.get(key);
        }
        ExpiringItems items = last == null ? ExpiringItems.of(segment, view, encoder) : last.next(revision, view, encoder);
        keep(key, items);
        return items;
    }

    synchronized long weight() {
        return weight;
    }

    synchronized int size() {
        return byKey.size();
    }

    private synchronized void keep(Key key, ExpiringItems items) {
        ExpiringItems previous = byKey.remove(key);
        if (previous != null) {
            weight -= previous.weight();
        }
        if (items.weight() > limit) {
            return;
        }
        byKey.put(key, items);
        weight += items.weight();
        Iterator<Map.Entry<Key, ExpiringItems>> eldest = byKey.entrySet().iterator();
        while (weight > limit && eldest.hasNext()) {
            weight -= eldest.next().getValue().weight();
            eldest.remove();
        }
    }
}
