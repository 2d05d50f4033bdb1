package dev.segments.segment;

import java.util.List;

/**
 * Scheduled removals fall due at their {@code expirationDate}. Every read and every write
 * starts from {@link #carryOut}, so a due removal takes effect at its exact millisecond
 * whether or not the stored data has been rewritten yet.
 */
public final class Expiry {

    private Expiry() {
    }

    /** The segment with every removal due at {@code now} carried out, as one service change. */
    public static Revision carryOut(Segment stored, long now) {
        Revision unchanged = Revision.of(stored);
        if (!stored.hasDue(now)) {
            return unchanged;
        }
        List<ExpiringTarget> due = stored.schedules().values().stream()
                .filter(schedule -> schedule.isDue(now))
                .sorted(ExpiringTarget.ORDER)
                .toList();
        SegmentDraft draft = stored.edit();
        due.forEach(draft::expire);
        return unchanged.then(draft, now, Change.SERVICE, null);
    }
}
