package dev.segments.segment.api;

import dev.segments.segment.Revision;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The items this instance last answered for a few segments, per view, so that the next answer
 * of the same segment encodes only what changed ({@link ExpiringItems#next}), and with them the
 * groups its last gzip answer deflated, so that the next one deflates only the groups that
 * changed ({@link GzipItems#of}). Whatever an entry
 * holds (an older or a newer version, a segment deleted and made again under the same key),
 * the answer is the same: an entry only saves work, it never decides an answer.
 *
 * <p>Bounded by an estimate of the memory the items and groups take; the least recently used go first,
 * and items heavier than the whole bound are not kept. The default, {@link #DEFAULT_LIMIT},
 * holds both views of a 15,000-user segment (about 13.1 MB each: 3.7 MB of items, 4.1 MB of
 * them escaped, 4.9 MB the schedules' share, 0.4 MB of deflated groups), and is a sixteenth of
 * the function's default 512 MB.
 */
final class KeptItems {

    static final long DEFAULT_LIMIT = 32L << 20;

    private record Key(SegmentKey segment, ExpiringView view) {
    }

    /** The items kept for a key, and the groups of the last gzip answer made for it (of these items or earlier ones). */
    private static final class Kept {
        final ExpiringItems items;
        GzipItems gzip = GzipItems.NONE;
        ExpiringItems gzipOf;

        Kept(ExpiringItems items) {
            this.items = items;
        }

        long weight() {
            return items.weight() + gzip.weight();
        }
    }

    private final long limit;
    private final ItemEncoder encoder;
    private final LinkedHashMap<Key, Kept> byKey = new LinkedHashMap<>(16, 0.75f, true);
    private long weight;

    KeptItems(long limit, ItemEncoder encoder) {
        this.limit = limit;
        this.encoder = encoder;
    }

    /** The items of the view of {@code revision}'s segment, rendered from the last kept ones when there are some. */
    ExpiringItems items(Revision revision, ExpiringView view) {
        Segment segment = revision.segment();
        Key key = new Key(segment.key(), view);
        Kept last;
        synchronized (this) {
            last = byKey.get(key);
        }
        ExpiringItems items = last == null ? ExpiringItems.of(segment, view, encoder) : last.items.next(revision, view, encoder);
        keep(key, items);
        return items;
    }

    /**
     * The deflated groups of {@code items} (of the view of {@code segment}, as {@link #items}
     * gave them), made from the last kept groups when there are some, and kept for the next.
     */
    GzipItems gzip(SegmentKey segment, ExpiringView view, ExpiringItems items) {
        Key key = new Key(segment, view);
        GzipItems previous = GzipItems.NONE;
        synchronized (this) {
            Kept last = byKey.get(key);
            if (last != null && last.gzipOf == items) {
                return last.gzip;
            }
            if (last != null) {
                previous = last.gzip;
            }
        }
        GzipItems gzip = GzipItems.of(items, previous);
        synchronized (this) {
            Kept now = byKey.get(key);
            if (now != null && now.items.weight() + gzip.weight() <= limit) {
                weight -= now.weight();
                now.gzip = gzip;
                now.gzipOf = items;
                weight += now.weight();
                trim();
            }
        }
        return gzip;
    }

    synchronized long weight() {
        return weight;
    }

    synchronized int size() {
        return byKey.size();
    }

    private synchronized void keep(Key key, ExpiringItems items) {
        Kept previous = byKey.remove(key);
        if (previous != null) {
            weight -= previous.weight();
        }
        if (items.weight() > limit) {
            return;
        }
        Kept kept = new Kept(items);
        if (previous != null && kept.weight() + previous.gzip.weight() <= limit) {
            // Groups of earlier items still serve the next gzip answer of these.
            kept.gzip = previous.gzip;
            kept.gzipOf = previous.gzipOf == items ? items : null;
        }
        byKey.put(key, kept);
        weight += kept.weight();
        trim();
    }

    /** The least recently used go until the rest are within the bound. */
    private void trim() {
        Iterator<Map.Entry<Key, Kept>> eldest = byKey.entrySet().iterator();
        while (weight > limit && eldest.hasNext()) {
            weight -= eldest.next().getValue().weight();
            eldest.remove();
        }
    }
}
