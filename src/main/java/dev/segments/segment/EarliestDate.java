package dev.segments.segment;

import java.util.Collection;

/**
 * The earliest removal date of a segment's schedules, with how many share it. Kept with the
 * schedules ({@link ScheduleMap}) and carried through a draft's changes, so that the check for
 * due removals, which every read and write makes, does not go over every schedule of a big
 * segment. Only removing the last schedule at the earliest date makes it unknown; it is then
 * learnt again from all of them when next asked.
 */
final class EarliestDate {

    private long earliest;
    private int atEarliest;
    private boolean known;

    private EarliestDate(long earliest, int atEarliest, boolean known) {
        this.earliest = earliest;
        this.atEarliest = atEarliest;
        this.known = known;
    }

    static EarliestDate of(Collection<ExpiringTarget> schedules) {
        EarliestDate date = new EarliestDate(Long.MAX_VALUE, 0, true);
        schedules.forEach(date::add);
        return date;
    }

    /** A copy to change: the one kept with a segment's schedules never changes but to learn what it forgot. */
    EarliestDate copy() {
        return new EarliestDate(earliest, atEarliest, known);
    }

    /** The earliest date of {@code schedules}, the ones this counts; {@link Long#MAX_VALUE} if there are none. */
    long in(Collection<ExpiringTarget> schedules) {
        if (!known) {
            earliest = Long.MAX_VALUE;
            atEarliest = 0;
            known = true;
            schedules.forEach(this::add);
        }
        return earliest;
    }

    void add(ExpiringTarget schedule) {
        long date = schedule.expirationDate();
        if (!known || date > earliest) {
            return;
        }
        if (date < earliest) {
            earliest = date;
            atEarliest = 0;
        }
        atEarliest++;
    }

    void remove(ExpiringTarget schedule) {
        if (known && schedule.expirationDate() == earliest && --atEarliest == 0) {
            known = false;
        }
    }
}
