package dev.segments.segment;

import java.util.Comparator;

/**
 * A scheduled removal of one target from a segment. {@code id} is stable for the life of the
 * schedule; {@code version} starts at 1 and grows by one each time the date moves.
 */
public record ExpiringTarget(String id, int version, long expirationDate, TargetRef target) {

    /** The order responses list schedules in: by date, then by key. */
    public static final Comparator<ExpiringTarget> ORDER = (a, b) -> {
        int byDate = Long.compare(a.expirationDate, b.expirationDate);
        return byDate != 0 ? byDate : TargetRef.ORDER.compare(a.target, b.target);
    };

    // Written out for the native image, as in TargetRef: buckets compare up to 15,000 schedules per write.
    @Override
    public boolean equals(Object other) {
        return other instanceof ExpiringTarget schedule && version == schedule.version && expirationDate == schedule.expirationDate
                && id.equals(schedule.id) && target.equals(schedule.target);
    }

    @Override
    public int hashCode() {
        return ((31 * id.hashCode() + version) * 31 + Long.hashCode(expirationDate)) * 31 + target.hashCode();
    }

    public ExpiringTarget movedTo(long newDate) {
        return new ExpiringTarget(id, version + 1, newDate, target);
    }

    public boolean isDue(long now) {
        return expirationDate <= now;
    }
}
