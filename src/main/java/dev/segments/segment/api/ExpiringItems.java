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
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The items of one view of one segment, in answer order (by date, then key), each with its
 * encoded bytes, in groups. An item's bytes depend only on its schedule, the segment's key and
 * the view, so a later version of the segment is rendered from an earlier one ({@link #next}):
 * the schedules it still has keep their bytes and their order, and only new or changed ones are
 * encoded and put in their place. Nothing is sorted or encoded again for the rest, and only the
 * groups a change falls in are made anew: the others are shared with the earlier version, so a
 * one-schedule change of 15,000 copies some 60 KB, not the 8 MB of all the items and their
 * escaped form, whose fresh pages a native image pays for in page faults (perf).
 *
 * <p>Groups end where the items decide, not at counts: after an item whose key hashes to a value
 * with its top {@link #GROUP_BITS} bits zero (or at {@link #MAX_GROUP} items), so that a change
 * touches the group it falls in, and the groups stay as they would be cut from scratch, about
 * the same size, as schedules come and go. Groups made anew are cut by the same rule.
 */
final class ExpiringItems {

    /** Memory an item takes beyond its bytes: its schedule, ref, ids and key, and its map entry. */
    static final long PER_ITEM = 300;
    /** Memory a group takes beyond its items: its arrays' headers and its objects. */
    static final long PER_GROUP = 160;
    /**
     * Groups of about 2^7 = 128 items (30 KB of JSON) on average: a change copies a few of
     * them, and the gzip answer, deflated group by group ({@link GzipItems}), is 5% larger than
     * one deflate stream of it (2.6% with 256, 10% with 64).
     */
    static final int GROUP_BITS = 7;
    static final int MAX_GROUP = 512;

    /**
     * A run of items in answer order: their schedules, and their bytes joined by commas, as they
     * are and escaped for a JSON string. Never changed once made, so versions share it, and
     * {@link GzipItems} knows a group it deflated before by its identity.
     */
    static final class Group {
        private final ExpiringTarget[] schedules;
        private final Encoded plain;
        /** As the Lambda response event carries the answer: escaped once, when encoded. */
        private final Encoded escaped;

        private Group(ExpiringTarget[] schedules, Encoded plain, Encoded escaped) {
            this.schedules = schedules;
            this.plain = plain;
            this.escaped = escaped;
        }

        /** {@code schedules} (in answer order) encoded, and escaped. */
        private static Group encoded(ExpiringTarget[] schedules, Encoded plain) {
            int[] escapedEnds = new int[plain.ends().length];
            byte[] escaped = JsonStringBytes.escapeItems(plain.bytes(), plain.ends(), escapedEnds).bytes();
            return new Group(schedules, plain, new Encoded(escaped, escapedEnds));
        }

        /** The items joined by commas; not to be changed. */
        byte[] bytes() {
            return plain.bytes();
        }

        int size() {
            return schedules.length;
        }

        private ExpiringTarget first() {
            return schedules[0];
        }

        private long weight() {
            return PER_GROUP + plain.bytes().length + escaped.bytes().length + 4L * (plain.ends().length + escaped.ends().length)
                    + 8L * schedules.length;
        }
    }

    private static final Group[] NO_GROUPS = {};
    private static final byte[] COMMA = {','};

    /** The schedules of the segment rendered, to tell which of a later version's are new. */
    private final Map<TargetRef, ExpiringTarget> schedules;
    private final Group[] groups;
    private final long weight;

    private ExpiringItems(Map<TargetRef, ExpiringTarget> schedules, Group[] groups) {
        this.schedules = schedules;
        this.groups = groups;
        long weight = 0;
        for (Group group : groups) {
            weight += group.weight() + PER_ITEM * group.size();
        }
        this.weight = weight;
    }

    /** Every item of the view, sorted, encoded and grouped. */
    static ExpiringItems of(Segment segment, ExpiringView view, ItemEncoder encoder) {
        List<ExpiringTarget> shown = new ArrayList<>(segment.schedules().size());
        for (ExpiringTarget schedule : segment.expiringTargets()) {
            if (view.shows(schedule)) {
                shown.add(schedule);
            }
        }
        return new ExpiringItems(segment.schedules(), grouped(encoded(segment, view, encoder, shown)));
    }

    /** {@code items} cut into groups. */
    private static Group[] grouped(Group items) {
        List<Group> made = new ArrayList<>();
        Grouping grouping = new Grouping(made);
        grouping.add(items, 0, items.size());
        grouping.close();
        return made.toArray(NO_GROUPS);
    }

    private static Group encoded(Segment segment, ExpiringView view, ItemEncoder encoder, List<ExpiringTarget> schedules) {
        return Group.encoded(schedules.toArray(new ExpiringTarget[0]), encoder.encode(segment.key(), view, schedules));
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
        List<ExpiringTarget> gone = new ArrayList<>();
        List<ExpiringTarget> added = new ArrayList<>();
        if (revision.from().schedules() == schedules) {
            for (TargetRef target : revision.touched()) {
                ExpiringTarget was = schedules.get(target);
                ExpiringTarget is = now.get(target);
                if (was != null && was.equals(is)) {
                    continue;
                }
                if (was != null && view.shows(was)) {
                    gone.add(was);
                }
                if (is != null && view.shows(is)) {
                    added.add(is);
                }
            }
        } else {
            for (Group group : groups) {
                for (ExpiringTarget schedule : group.schedules) {
                    if (!schedule.equals(now.get(schedule.target()))) {
                        gone.add(schedule);
                    }
                }
            }
            for (ExpiringTarget schedule : now.values()) {
                if (view.shows(schedule) && !schedule.equals(schedules.get(schedule.target()))) {
                    added.add(schedule);
                }
            }
        }
        if (added.isEmpty() && gone.isEmpty()) {
            return new ExpiringItems(now, groups);
        }
        added.sort(ExpiringTarget.ORDER);
        Group fresh = encoded(revision.segment(), view, encoder, added);
        return new ExpiringItems(now, regrouped(gone, fresh));
    }

    /**
     * These groups without the {@code gone} items and with the {@code fresh} ones (sorted, none
     * equal to a kept one): the groups they fall in are made anew, the others are kept as they are.
     */
    private Group[] regrouped(List<ExpiringTarget> gone, Group fresh) {
        if (groups.length == 0) {
            return grouped(fresh);
        }
        boolean[][] dropped = new boolean[groups.length][];
        for (ExpiringTarget schedule : gone) {
            int g = groupOf(schedule);
            if (dropped[g] == null) {
                dropped[g] = new boolean[groups[g].size()];
            }
            dropped[g][Arrays.binarySearch(groups[g].schedules, schedule, ExpiringTarget.ORDER)] = true;
        }
        // A fresh item goes to the last group whose first item is not after it (the first group when all are).
        int[] freshEnds = new int[groups.length];
        for (int g = 0, j = 0; g < groups.length; g++) {
            while (j < fresh.size()
                    && (g + 1 == groups.length || ExpiringTarget.ORDER.compare(fresh.schedules[j], groups[g + 1].first()) < 0)) {
                j++;
            }
            freshEnds[g] = j;
        }
        List<Group> next = new ArrayList<>(groups.length + 4);
        Grouping grouping = null;
        int from = 0;
        for (int g = 0; g < groups.length; g++) {
            if (grouping == null && dropped[g] == null && freshEnds[g] == from) {
                next.add(groups[g]);
                continue;
            }
            // Made anew up to where the rule ends a group: when a change took a group's last
            // item, the group runs on into the next one, as it would have been cut from scratch.
            grouping = grouping == null ? new Grouping(next) : grouping;
            merge(grouping, groups[g], dropped[g], fresh, from, freshEnds[g]);
            from = freshEnds[g];
            if (grouping.isEmpty()) {
                grouping = null;
            }
        }
        if (grouping != null) {
            grouping.close();
        }
        return next.toArray(NO_GROUPS);
    }

    /** The group that holds {@code schedule}, one of these items. */
    private int groupOf(ExpiringTarget schedule) {
        int low = 0;
        int high = groups.length - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (ExpiringTarget.ORDER.compare(groups[middle].first(), schedule) <= 0) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    /**
     * The items of {@code group} not {@code dropped} (null: none is) and {@code fresh}'s from
     * {@code first} to {@code end} (exclusive), in order.
     */
    private static void merge(Grouping grouping, Group group, boolean[] dropped, Group fresh, int first, int end) {
        int i = 0;
        for (int j = first; j < end; j++) {
            // The place of a new schedule among the group's: one it ties with has the same
            // target, so it is dropped, and either side of it will do.
            int at = Arrays.binarySearch(group.schedules, fresh.schedules[j], ExpiringTarget.ORDER);
            i = addKept(grouping, group, dropped, i, at < 0 ? -at - 1 : at);
            grouping.add(fresh, j, j + 1);
        }
        addKept(grouping, group, dropped, i, group.size());
    }

    /** Adds the items of {@code group} not {@code dropped} from {@code from} up to {@code to}, each run of them at once; returns {@code to}. */
    private static int addKept(Grouping grouping, Group group, boolean[] dropped, int from, int to) {
        if (dropped == null) {
            grouping.add(group, from, to);
            return to;
        }
        int i = from;
        while (i < to) {
            int run = i;
            while (i < to && !dropped[i]) {
                i++;
            }
            grouping.add(group, run, i);
            while (i < to && dropped[i]) {
                i++;
            }
        }
        return to;
    }

    /** An estimate of the memory these items hold, for the bound of {@link KeptItems}. */
    long weight() {
        return weight;
    }

    /** The groups, in answer order. */
    List<Group> groups() {
        return Collections.unmodifiableList(Arrays.asList(groups));
    }

    /** The items joined by commas, as they stand in the answer's array, in parts (shared; not to be changed). */
    List<ByteBuffer> bytes() {
        return parts(false);
    }

    /** The items escaped for a JSON string ({@link JsonStringBytes}), joined by commas, in parts (shared; not to be changed). */
    List<ByteBuffer> escaped() {
        return parts(true);
    }

    private List<ByteBuffer> parts(boolean escaped) {
        List<ByteBuffer> parts = new ArrayList<>(2 * groups.length);
        for (Group group : groups) {
            if (!parts.isEmpty()) {
                parts.add(ByteBuffer.wrap(COMMA));
            }
            parts.add(ByteBuffer.wrap(escaped ? group.escaped.bytes() : group.plain.bytes()));
        }
        return parts;
    }

    /**
     * Items appended run after run into groups, cut after each item the rule ends a group with
     * ({@link #GROUP_BITS}, {@link #MAX_GROUP}), and at {@link #close}.
     */
    private static final class Grouping {
        private record Slice(Group from, int first, int end) {
        }

        private final List<Group> made;
        private final List<Slice> slices = new ArrayList<>();
        private int count;

        Grouping(List<Group> made) {
            this.made = made;
        }

        /** Appends items {@code first} to {@code end} (exclusive) of {@code from}. */
        void add(Group from, int first, int end) {
            int run = first;
            for (int i = first; i < end; i++) {
                if (++count == MAX_GROUP || endsGroup(from.schedules[i])) {
                    slices.add(new Slice(from, run, i + 1));
                    run = i + 1;
                    close();
                }
            }
            if (run < end) {
                slices.add(new Slice(from, run, end));
            }
        }

        /** Whether no item was appended since the last group was made. */
        boolean isEmpty() {
            return count == 0;
        }

        /** Makes a group of the items appended since the last one, if any. */
        void close() {
            if (count == 0) {
                return;
            }
            int plainLength = slices.size() - 1;
            int escapedLength = slices.size() - 1;
            for (Slice slice : slices) {
                plainLength += span(slice.from().plain, slice.first(), slice.end());
                escapedLength += span(slice.from().escaped, slice.first(), slice.end());
            }
            ExpiringTarget[] schedules = new ExpiringTarget[count];
            Run plain = new Run(count, plainLength);
            Run escaped = new Run(count, escapedLength);
            int at = 0;
            for (Slice slice : slices) {
                plain.add(slice.from().plain, slice.first(), slice.end(), at);
                escaped.add(slice.from().escaped, slice.first(), slice.end(), at);
                System.arraycopy(slice.from().schedules, slice.first(), schedules, at, slice.end() - slice.first());
                at += slice.end() - slice.first();
            }
            made.add(new Group(schedules, plain.done(), escaped.done()));
            slices.clear();
            count = 0;
        }

        /** The bytes of items {@code first} to {@code end} (exclusive) with the commas between them. */
        private static int span(Encoded items, int first, int end) {
            return items.ends()[end - 1] - items.start(first);
        }

        /** Whether a group ends after {@code schedule}: Fibonacci hashing, whose top bits mix every bit of the key's hash. */
        private static boolean endsGroup(ExpiringTarget schedule) {
            return (schedule.target().key().hashCode() * 0x9E3779B9) >>> (32 - GROUP_BITS) == 0;
        }
    }

    /** One form of the items of a group being made: their bytes and where each ends. */
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
                throw new IllegalStateException("grouped " + length + " bytes of items, expected " + bytes.length);
            }
            return new Encoded(bytes, ends);
        }
    }
}
