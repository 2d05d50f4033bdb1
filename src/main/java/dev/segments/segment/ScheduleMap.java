package dev.segments.segment;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * A segment's schedules by target: a map nobody can change, which a {@link Segment} takes
 * over as it is (a draft hands over what it built, and nothing else holds it). It keeps what a
 * request would otherwise count over all of them: the answer bytes of their own strings
 * ({@link Footprint#scheduled}) and their {@link EarliestDate}, each counted when first asked
 * and then carried from segment to segment by the drafts that change them. Segments are shared
 * between requests, so these are only touched under the map's lock.
 *
 * <p>A one-schedule PATCH of a 15,000-user segment would copy all 15,000 schedules to change
 * one (a fifth of its CPU in the native image, perf). So a map is a shared root that never
 * changes and the changes made since over it ({@link ScheduleLayers}): a draft ({@link Edits}) copies
 * only those changes, and folds them into a new root once they pass a sixteenth of it, which
 * spreads the copy over that many changes.
 */
final class ScheduleMap extends ScheduleLayers {

    /** Bytes not counted yet. */
    static final long UNCOUNTED = -1;
    /** Changes a map carries over its root at least before a draft folds them in. */
    static final int MIN_FOLD = 64;

    private long bytes;
    private EarliestDate earliest;

    private ScheduleMap(Map<TargetRef, ExpiringTarget> root, Map<TargetRef, ExpiringTarget> changes, int size, long bytes,
            EarliestDate earliest) {
        super(root, changes, size);
        this.bytes = bytes;
        this.earliest = earliest;
    }

    /** The map as a segment holds it: taken as it is if it is one already, else copied. */
    static ScheduleMap of(Map<TargetRef, ExpiringTarget> schedules) {
        if (schedules instanceof ScheduleMap held) {
            return held;
        }
        return new ScheduleMap(Collections.unmodifiableMap(new HashMap<>(schedules)), Map.of(), schedules.size(), UNCOUNTED, null);
    }

    /** The schedules for a draft to change: this map's root, shared, under a copy of its changes. */
    Edits edit() {
        return new Edits(root, new HashMap<>(changes), size);
    }

    /** The answer bytes of the schedules' own strings: id, key and kind of each. */
    synchronized long bytes() {
        if (bytes == UNCOUNTED) {
            bytes = bytesOf(values());
        }
        return bytes;
    }

    /** What {@link #bytes} counts, over {@code schedules}. */
    static long bytesOf(Collection<ExpiringTarget> schedules) {
        long bytes = 0;
        for (ExpiringTarget schedule : schedules) {
            bytes += bytesOf(schedule);
        }
        return bytes;
    }

    /** {@link #bytes} if counted already, else {@link #UNCOUNTED}. */
    synchronized long bytesIfCounted() {
        return bytes;
    }

    static long bytesOf(ExpiringTarget schedule) {
        TargetRef ref = schedule.target();
        return AnswerSize.of(schedule.id()) + AnswerSize.of(ref.key()) + AnswerSize.of(ref.contextKind());
    }

    /** The earliest removal date, {@link Long#MAX_VALUE} if nothing is scheduled. */
    synchronized long earliest() {
        return earliestDate().in(values());
    }

    /** A copy of the earliest date for a draft to keep up to date. */
    synchronized EarliestDate earliestCopy() {
        return earliestDate().copy();
    }

    private EarliestDate earliestDate() {
        if (earliest == null) {
            earliest = EarliestDate.of(values());
        }
        return earliest;
    }

    /** A draft's schedules: the base's root, and the base's changes and the draft's own over it. */
    static final class Edits extends ScheduleLayers {

        private Edits(Map<TargetRef, ExpiringTarget> root, HashMap<TargetRef, ExpiringTarget> changes, int size) {
            super(root, changes, size);
        }

        @Override
        public ExpiringTarget put(TargetRef target, ExpiringTarget schedule) {
            ExpiringTarget previous = get(target);
            changes.put(target, schedule);
            size += previous == null ? 1 : 0;
            return previous;
        }

        @Override
        public ExpiringTarget remove(Object target) {
            ExpiringTarget previous = get(target);
            if (previous != null) {
                if (root.containsKey(target)) {
                    changes.put((TargetRef) target, null);
                } else {
                    changes.remove(target);
                }
                size--;
            }
            return previous;
        }

        /** The schedules as a segment's, with their bytes and earliest date where known; the draft changes nothing after. */
        ScheduleMap done(long bytes, EarliestDate earliest) {
            if (changes.size() <= Math.max(MIN_FOLD, root.size() / 16)) {
                return new ScheduleMap(root, Collections.unmodifiableMap(changes), size, bytes, earliest);
            }
            HashMap<TargetRef, ExpiringTarget> folded = new HashMap<>(root);
            changes.forEach((target, schedule) -> {
                if (schedule == null) {
                    folded.remove(target);
                } else {
                    folded.put(target, schedule);
                }
            });
            return new ScheduleMap(Collections.unmodifiableMap(folded), Map.of(), size, bytes, earliest);
        }
    }
}
