package dev.segments.segment.api;

import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.Revision;
import dev.segments.segment.Segment;
import dev.segments.segment.TargetRef;
import dev.segments.segment.api.ItemEncoder.Encoded;
import dev.segments.web.JsonStringBytes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The items of one view of one segment, in answer order (by date, then key), each with its
 * encoded bytes. An item's bytes depend only on its schedule, the segment's key and the view,
 * so a later version of the segment is rendered from an earlier one ({@link #next}): the
 * schedules it still has keep their bytes and their order, and only new or changed ones are
 * encoded and put in their place. Nothing is sorted or encoded again for the rest.
 */
final class ExpiringItems {

    /** Memory an item takes beyond its bytes: its schedule, ref, ids and key, and its map entry. */
    static final long PER_ITEM = 300;

    /** The schedules of the segment rendered, to tell which of a later version's are new. */
    private final Map<TargetRef, ExpiringTarget> schedules;
    private final ExpiringTarget[] order;
    private final Encoded plain;
    /**
     * The same items escaped for a JSON string, as the Lambda response event carries the answer:
     * escaped once when encoded, the escape of an answer of 15,000 items costs nothing but copies.
     */
    private final Encoded escaped;

    private ExpiringItems(Map<TargetRef, ExpiringTarget> schedules, ExpiringTarget[] order, Encoded plain, Encoded escaped) {
        this.schedules = schedules;
        this.order = order;
        this.plain = plain;
        this.escaped = escaped;
    }

    /** {@code schedules} (in answer order) encoded, and escaped. */
    private static ExpiringItems encoded(Map<TargetRef, ExpiringTarget> schedules, List<ExpiringTarget> order, Encoded plain) {
        int[] escapedEnds = new int[plain.ends().length];
        byte[] escaped = JsonStringBytes.escapeItems(plain.bytes(), plain.ends(), escapedEnds).bytes();
        return new ExpiringItems(schedules, order.toArray(new ExpiringTarget[0]), plain, new Encoded(escaped, escapedEnds));
    }

    /** Every item of the view, sorted and encoded. */
    static ExpiringItems of(Segment segment, ExpiringView view, ItemEncoder encoder) {
        List<ExpiringTarget> shown = new ArrayList<>(segment.schedules().size());
        for (ExpiringTarget schedule : segment.expiringTargets()) {
            if (view.shows(schedule)) {
                shown.add(schedule);
            }
        }
        return encoded(segment.schedules(), shown, encoder.encode(segment.key(), view, shown));
    }

    /**
     * The items of {@code revision}'s segment (same key, any version), from these: a schedule
     * found here unchanged keeps its bytes and place; the others are encoded and inserted where
     * the order puts them; those the segment no longer has are dropped. When these are the items
     * of the revision's stored segment, only the targets it touched can differ, so only those are
     * looked up; else every schedule is.
     */
    ExpiringItems next(Revision revision, ExpiringView view, ItemEncoder encoder) {
        Map<TargetRef, ExpiringTarget> now = revision.segment().schedules();
        if (now == schedules) {
            // A segment's schedules never change, and the store hands back those it holds for a
            // segment nothing changed: a GET of it needs none of the 15,000 lookups below.
            return this;
        }
        boolean[] kept = new boolean[order.length];
        List<ExpiringTarget> added = new ArrayList<>();
        int keeping;
        if (revision.from().schedules() == schedules) {
            Arrays.fill(kept, true);
            keeping = order.length;
            for (TargetRef target : revision.touched()) {
                ExpiringTarget was = schedules.get(target);
                ExpiringTarget is = now.get(target);
                if (was != null && was.equals(is)) {
                    continue;
                }
                if (was != null && view.shows(was)) {
                    kept[Arrays.binarySearch(order, was, ExpiringTarget.ORDER)] = false;
                    keeping--;
                }
                if (is != null && view.shows(is)) {
                    added.add(is);
                }
            }
        } else {
            keeping = 0;
            for (int i = 0; i < order.length; i++) {
                kept[i] = order[i].equals(now.get(order[i].target()));
                keeping += kept[i] ? 1 : 0;
            }
            for (ExpiringTarget schedule : now.values()) {
                if (view.shows(schedule) && !schedule.equals(schedules.get(schedule.target()))) {
                    added.add(schedule);
                }
            }
        }
        if (added.isEmpty() && keeping == order.length) {
            return new ExpiringItems(now, order, plain, escaped);
        }
        added.sort(ExpiringTarget.ORDER);
        ExpiringItems fresh = encoded(Map.of(), added, encoder.encode(revision.segment().key(), view, added));
        return merge(now, kept, keeping, fresh);
    }

    /** The kept items here and all of {@code fresh} (sorted, none equal to a kept one), in order. */
    private ExpiringItems merge(Map<TargetRef, ExpiringTarget> now, boolean[] kept, int keeping, ExpiringItems fresh) {
        int count = keeping + fresh.size();
        int commas = Math.max(0, count - 1) - Math.max(0, fresh.size() - 1);
        Builder next = new Builder(now, count, commas + fresh.plain.bytes().length + keptLength(plain, kept),
                commas + fresh.escaped.bytes().length + keptLength(escaped, kept));
        int i = 0;
        for (int j = 0; j < fresh.size(); j++) {
            // The place of a new schedule among the earlier ones: an earlier one it ties with
            // has the same target, so it is not kept, and either side of it will do.
            int at = Arrays.binarySearch(order, fresh.order[j], ExpiringTarget.ORDER);
            i = addKept(next, kept, i, at < 0 ? -at - 1 : at);
            next.add(fresh, j, j + 1);
        }
        addKept(next, kept, i, order.length);
        return next.done();
    }

    /** The bytes of the kept items among {@code items}, without the commas between them. */
    private static int keptLength(Encoded items, boolean[] kept) {
        long length = 0;
        for (int i = 0; i < kept.length; i++) {
            length += kept[i] ? items.ends()[i] - items.start(i) : 0;
        }
        return Math.toIntExact(length);
    }

    /** Adds the kept items from {@code from} up to {@code to}, each run of them in one copy; returns {@code to}. */
    private int addKept(Builder next, boolean[] kept, int from, int to) {
        int i = from;
        while (i < to) {
            int run = i;
            while (i < to && kept[i]) {
                i++;
            }
            next.add(this, run, i);
            while (i < to && !kept[i]) {
                i++;
            }
        }
        return to;
    }

    int size() {
        return order.length;
    }

    /** An estimate of the memory these items hold, for the bound of {@link KeptItems}. */
    long weight() {
        return plain.bytes().length + escaped.bytes().length + PER_ITEM * order.length;
    }

    /** The items escaped for a JSON string ({@link JsonStringBytes}), joined by commas; not to be changed. */
    ByteBuffer escaped() {
        return ByteBuffer.wrap(escaped.bytes());
    }

    /** The schedule of item {@code i}. */
    ExpiringTarget schedule(int i) {
        return order[i];
    }

    /** Where item {@code i} ends in {@link #bytes} (exclusive): at the comma before the next one. */
    int end(int i) {
        return plain.ends()[i];
    }

    /** The items joined by commas, as they stand in the answer's array; shared, not to be changed. */
    byte[] bytes() {
        return plain.bytes();
    }

    /** Items appended one after another, with their commas, as they are and escaped. */
    private static final class Builder {
        private final Map<TargetRef, ExpiringTarget> schedules;
        private final ExpiringTarget[] order;
        private final Run plain;
        private final Run escaped;
        private int count;

        Builder(Map<TargetRef, ExpiringTarget> schedules, int count, int length, int escapedLength) {
            this.schedules = schedules;
            this.order = new ExpiringTarget[count];
            this.plain = new Run(count, length);
            this.escaped = new Run(count, escapedLength);
        }

        /** Appends items {@code first} to {@code end} (exclusive) of {@code from}, with the commas between them. */
        void add(ExpiringItems from, int first, int end) {
            if (first == end) {
                return;
            }
            plain.add(from.plain, first, end, count);
            escaped.add(from.escaped, first, end, count);
            System.arraycopy(from.order, first, order, count, end - first);
            count += end - first;
        }

        ExpiringItems done() {
            if (count != order.length) {
                throw new IllegalStateException("merged " + count + " items, expected " + order.length);
            }
            return new ExpiringItems(schedules, order, plain.done(), escaped.done());
        }
    }

    /** One form of the items being joined: their bytes and where each ends. */
    private static final class Run {
        private final byte[] bytes;
        private final int[] ends;
        private int length;

        Run(int count, int length) {
            this.bytes = new byte[length];
            this.ends = new int[count];
        }

        /** Appends items {@code first} to {@code end} (exclusive) of {@code from} after the {@code count} there are. */
        void add(Encoded from, int first, int end, int count) {
            if (count > 0) {
                bytes[length++] = ',';
            }
            int start = from.start(first);
            int stop = from.ends()[end - 1];
            System.arraycopy(from.bytes(), start, bytes, length, stop - start);
            int shift = length - start;
            for (int k = first; k < end; k++) {
                ends[count + k - first] = from.ends()[k] + shift;
            }
            length += stop - start;
        }

        Encoded done() {
            if (length != bytes.length) {
                throw new IllegalStateException("merged " + length + " bytes of items, expected " + bytes.length);
            }
            return new Encoded(bytes, ends);
        }
    }
}
