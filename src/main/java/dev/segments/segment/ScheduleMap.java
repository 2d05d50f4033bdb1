package dev.segments.segment;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A segment's schedules by target: a map nobody can change, which a {@link Segment} takes
 * over as it is (a draft hands over the map it built, and nothing else holds it) instead of
 * copying 15,000 schedules again. It keeps what a request would otherwise count over all of
 * them: the answer bytes of their own strings ({@link Footprint#scheduled}) and their
 * {@link EarliestDate}, each counted when first asked and then carried from segment to
 * segment by the drafts that change them. Segments are shared between requests, so these
 * are only touched under the map's lock.
 */
final class ScheduleMap extends AbstractMap<TargetRef, ExpiringTarget> {

    /** Bytes not counted yet. */
    static final long UNCOUNTED = -1;

    private final Map<TargetRef, ExpiringTarget> schedules;
    private long bytes;
    private EarliestDate earliest;

    /**
     * Takes over {@code schedules}, which nothing else may hold, with their bytes and earliest
     * date where known ({@link #UNCOUNTED}, null where not).
     */
    ScheduleMap(HashMap<TargetRef, ExpiringTarget> schedules, long bytes, EarliestDate earliest) {
        this.schedules = Collections.unmodifiableMap(schedules);
        this.bytes = bytes;
        this.earliest = earliest;
    }

    /** The map as a segment holds it: taken as it is if it is one already, else copied. */
    static ScheduleMap of(Map<TargetRef, ExpiringTarget> schedules) {
        return schedules instanceof ScheduleMap held ? held : new ScheduleMap(new HashMap<>(schedules), UNCOUNTED, null);
    }

    /** A copy for a draft to change. */
    HashMap<TargetRef, ExpiringTarget> copy() {
        return new HashMap<>(schedules);
    }

    /** The answer bytes of the schedules' own strings: id, key and kind of each. */
    synchronized long bytes() {
        if (bytes == UNCOUNTED) {
            bytes = bytesOf(schedules.values());
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
        return earliestDate().in(schedules.values());
    }

    /** A copy of the earliest date for a draft to keep up to date. */
    synchronized EarliestDate earliestCopy() {
        return earliestDate().copy();
    }

    private EarliestDate earliestDate() {
        if (earliest == null) {
            earliest = EarliestDate.of(schedules.values());
        }
        return earliest;
    }

    @Override
    public ExpiringTarget get(Object key) {
        return schedules.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return schedules.containsKey(key);
    }

    @Override
    public int size() {
        return schedules.size();
    }

    @Override
    public Collection<ExpiringTarget> values() {
        return schedules.values();
    }

    @Override
    public Set<Entry<TargetRef, ExpiringTarget>> entrySet() {
        return schedules.entrySet();
    }
}
