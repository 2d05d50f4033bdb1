package dev.segments.expiry;

import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.Expiry;
import dev.segments.segment.Revision;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.store.SegmentStore;
import dev.segments.web.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Writes due removals back to the store: finds segments with something due through the due
 * index, and commits {@link Expiry#carryOut} for each through the same conditional write as
 * API changes. Reads never wait for it (they carry out due removals themselves); it exists so
 * that the stored data catches up, and a race with an API writer only costs a retry.
 */
@ApplicationScoped
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class);

    /** What one sweep did: removals carried out, segments written, and the worst delay behind due time. */
    public record Result(int expired, int segments, long maxLagMillis) {
    }

    private record Carried(Revision revision, int expired, long earliestDue) {
    }

    private final SegmentStore store;
    private final AppClock clock;

    Sweeper(SegmentStore store, AppClock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Result sweep() {
        long now = clock.millis();
        int expired = 0;
        int segments = 0;
        long maxLag = 0;
        for (SegmentKey key : store.due(now)) {
            try {
                Carried carried = store.update(key, stored -> {
                    Revision revision = Expiry.carryOut(stored, now);
                    long earliest = stored.schedules().values().stream().filter(s -> s.isDue(now))
                            .mapToLong(ExpiringTarget::expirationDate).min().orElse(now);
                    return new Carried(revision, stored.schedules().size() - revision.segment().schedules().size(), earliest);
                }, Carried::revision).orElse(null);
                if (carried != null && carried.expired() > 0) {
                    expired += carried.expired();
                    segments++;
                    maxLag = Math.max(maxLag, now - carried.earliestDue());
                }
            } catch (RuntimeException e) {
                // One segment's failure must not hold up the others; it stays due for the next sweep.
                LOG.warnf("Sweep of segment %s/%s/%s failed: %s", key.projectKey(), key.environmentKey(), key.key(), e.getMessage());
            }
        }
        if (expired > 0) {
            LOG.infof("Sweep carried out %d scheduled removals in %d segments, at most %d ms after due", expired, segments, maxLag);
        }
        return new Result(expired, segments, maxLag);
    }
}
