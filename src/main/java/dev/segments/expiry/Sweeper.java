package dev.segments.expiry;

import static dev.segments.ops.Metrics.Measure.count;
import static dev.segments.ops.Metrics.Measure.millis;

import dev.segments.ops.Deadline;
import dev.segments.ops.Deadlines;
import dev.segments.ops.Metrics;
import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.Expiry;
import dev.segments.segment.Revision;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.store.SegmentStore;
import dev.segments.web.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;

/**
 * Writes due removals back to the store: finds segments with something due through the due
 * index, and commits {@link Expiry#carryOut} for each through the same conditional write as
 * API changes, at the time it reads that segment. Reads never wait for it (they carry out due
 * removals themselves); it exists so that the stored data catches up, and a race with an API
 * writer only costs a retry. It also retires chunks a crash left behind (see
 * {@link SegmentStore#retireLeftBehindChunks}).
 *
 * <p>The due index's shards are swept in parallel, each on its own thread, within the deadline
 * of the invocation; what the deadline leaves undone stays due for the next sweep.
 */
@ApplicationScoped
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class);

    /**
     * What one sweep did: removals carried out, segments written, the worst delay behind due
     * time, chunks left behind that it retired, and due segments and chunks the deadline left
     * for the next sweep.
     */
    public record Result(int expired, int segments, long maxLagMillis, int chunksRetired, int left) {
        Result plus(Result other) {
            return new Result(expired + other.expired, segments + other.segments, Math.max(maxLagMillis, other.maxLagMillis),
                    chunksRetired + other.chunksRetired, left + other.left);
        }
    }

    private record Carried(Revision revision, int expired, long lag) {
    }

    private final SegmentStore store;
    private final AppClock clock;
    private final Metrics metrics;
    private final Deadlines deadlines;
    private final int parallelism;

    Sweeper(SegmentStore store, AppClock clock, Metrics metrics, Deadlines deadlines,
            @ConfigProperty(name = "segments.sweeper.parallelism", defaultValue = "16") int parallelism) {
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
        this.deadlines = deadlines;
        this.parallelism = Math.max(1, Math.min(parallelism, SegmentStore.DUE_SHARDS));
    }

    /** One line per run, also when nothing was due, so that the lag metric has no gaps. */
    private void report(Result result, long tookMillis) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("event", "sweep");
        properties.put("expiries", result.expired());
        properties.put("segments", result.segments());
        properties.put("maxLagMs", result.maxLagMillis());
        properties.put("chunksRetired", result.chunksRetired());
        properties.put("leftForNextSweep", result.left());
        properties.put("durationMs", tookMillis);
        metrics.emit(DimensionSet.of("Operation", "sweep"), Map.of(
                "ExpiriesCarriedOut", count(result.expired()),
                "ExpiryLag", millis(result.maxLagMillis())), properties);
    }

    public Result sweep() {
        long started = clock.millis();
        Deadline deadline = deadlines.current();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread thread = new Thread(r, "sweeper-shard");
            thread.setDaemon(true);
            return thread;
        });
        Result result = new Result(0, 0, 0, 0, 0);
        try {
            List<Future<Result>> shards = new ArrayList<>();
            for (int shard = 0; shard < SegmentStore.DUE_SHARDS; shard++) {
                int s = shard;
                shards.add(pool.submit(() -> deadline.bind(() -> sweep(s, deadline))));
            }
            for (Future<Result> shard : shards) {
                result = result.plus(shard.get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("A shard's sweep failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sweeping", e);
        } finally {
            pool.shutdownNow();
        }
        report(result, clock.millis() - started);
        return result;
    }

    private Result sweep(int shard, Deadline deadline) {
        SegmentStore.Due due;
        try {
            due = store.due(shard, clock.millis());
        } catch (RuntimeException e) {
            LOG.warnf("Sweep of due shard %d failed: %s", shard, e.getMessage());
            return new Result(0, 0, 0, 0, 0);
        }
        int expired = 0;
        int segments = 0;
        long maxLag = 0;
        int left = 0;
        for (SegmentKey key : due.segments()) {
            if (!deadline.allows(Deadline.SEGMENT_WRITE)) {
                left++;
                continue;
            }
            try {
                Carried carried = store.update(key, stored -> {
                    long now = clock.millis();
                    Revision revision = Expiry.carryOut(stored, now);
                    long earliest = stored.schedules().values().stream().filter(s -> s.isDue(now))
                            .mapToLong(ExpiringTarget::expirationDate).min().orElse(now);
                    return new Carried(revision, stored.schedules().size() - revision.segment().schedules().size(), now - earliest);
                }, Carried::revision).orElse(null);
                if (carried != null && carried.expired() > 0) {
                    expired += carried.expired();
                    segments++;
                    maxLag = Math.max(maxLag, carried.lag());
                }
            } catch (RuntimeException e) {
                // One segment's failure must not hold up the others; it stays due for the next sweep.
                LOG.warnf("Sweep of segment %s/%s/%s failed: %s", key.projectKey(), key.environmentKey(), key.key(), e.getMessage());
            }
        }
        int retired = 0;
        for (Map.Entry<SegmentKey, List<String>> chunks : due.chunks().entrySet()) {
            if (!deadline.allows(Deadline.SEGMENT_WRITE)) {
                left += chunks.getValue().size();
                continue;
            }
            try {
                retired += store.retireLeftBehindChunks(chunks.getKey(), chunks.getValue());
            } catch (RuntimeException e) {
                LOG.warnf("Check of the chunks of segment %s failed: %s", chunks.getKey().key(), e.getMessage());
            }
        }
        return new Result(expired, segments, maxLag, retired, left);
    }
}
