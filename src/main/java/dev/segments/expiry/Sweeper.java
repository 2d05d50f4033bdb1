package dev.segments.expiry;

import static dev.segments.ops.Metrics.Measure.count;
import static dev.segments.ops.Metrics.Measure.millis;

import dev.segments.ops.Metrics;
import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.Expiry;
import dev.segments.segment.Revision;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.store.SegmentStore;
import dev.segments.web.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;

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
    private final Metrics metrics;

    Sweeper(SegmentStore store, AppClock clock, Metrics metrics) {
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** One line per run, also when nothing was due, so that the lag metric has no gaps. */
    private void report(Result result, long tookMillis) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("event", "sweep");
        properties.put("expiries", result.expired());
        properties.put("segments", result.segments());
        properties.put("maxLagMs", result.maxLagMillis());
        properties.put("durationMs", tookMillis);
        metrics.emit(DimensionSet.of("Operation", "sweep"), Map.of(
                "ExpiriesCarriedOut", count(result.expired()),
                "ExpiryLag", millis(result.maxLagMillis())), properties);
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
        Result result = new Result(expired, segments, maxLag);
        report(result, clock.millis() - now);
        return result;
    }
}
