package dev.segments.project;

import dev.segments.ops.Deadline;
import dev.segments.ops.Deadlines;
import dev.segments.segment.Change;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.store.LeftoverSegments;
import dev.segments.web.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Tombstones the segments of deleted environments and projects, in bounded steps: each run
 * (every sweep invocation runs one) reads at most {@link #HEADS_PER_RUN} segment heads, and
 * records how far it came, so a run that dies half-way costs only its unrecorded progress.
 * Each leftover gets a tombstone holding its deletion, by whoever deleted the environment or
 * project and when, so the audit log keeps it; with the head go its chunks (retired), its
 * schedules and its due-index entry.
 *
 * <p>A run shares the deadline of the sweep invocation it is part of: it tombstones a leftover
 * only while there is time for a segment write ({@link Deadline#SEGMENT_WRITE}), and a page it
 * could not finish (out of time, or a tombstone that failed) is read again by the next run,
 * which finds only what is still left.
 *
 * <p>A deletion's record goes once a whole pass over its segments has found none left, and
 * that pass began at least {@link #GRACE_MILLIS} after the deletion: by then any request that
 * had read the environment as alive just before the deletion (a create, say) has long ended,
 * so nothing it wrote escapes the pass.
 */
@ApplicationScoped
public class LeftoverCleanup {

    /** Heads read per run at most: each may be tombstoned (about four requests), well inside a sweep's time. */
    static final int HEADS_PER_RUN = 100;
    /** Longer than any request can take (Lambda ends them after 15 s). */
    static final long GRACE_MILLIS = 120_000;

    private static final Logger LOG = Logger.getLogger(LeftoverCleanup.class);

    /** What a run did: segments tombstoned, and deletions still to finish. */
    public record Result(int deleted, int pending) {
    }

    private final DeletedEnvironments deletions;
    private final ProjectStore projects;
    private final LeftoverSegments leftovers;
    private final AppClock clock;
    private final Deadlines deadlines;

    LeftoverCleanup(DeletedEnvironments deletions, ProjectStore projects, LeftoverSegments leftovers, AppClock clock,
            Deadlines deadlines) {
        this.deletions = deletions;
        this.projects = projects;
        this.leftovers = leftovers;
        this.clock = clock;
        this.deadlines = deadlines;
    }

    public Result run() {
        Deadline deadline = deadlines.current();
        long now = clock.millis();
        int budget = HEADS_PER_RUN;
        int deleted = 0;
        int pending = 0;
        for (DeletedEnvironment deletion : deletions.pending()) {
            if (budget <= 0 || !deadline.allows(Deadline.SEGMENT_WRITE)) {
                pending++;
                continue;
            }
            if (current(deletion.projectKey(), deletion.environmentKey()).equals(Optional.of(deletion.environmentId()))) {
                // Recorded, but the environment never left its project: there is nothing to clean.
                deletions.done(deletion);
                continue;
            }
            long passStartedAt = deletion.resumeAfter().isPresent() ? deletion.passStartedAt() : now;
            LeftoverSegments.Page page = leftovers.find(deletion.projectKey(), deletion.environmentKey(),
                    deletion.environmentId(), deletion.resumeAfter(), budget);
            budget -= Math.max(1, page.read());
            boolean pageDone = true;
            for (SegmentKey key : page.leftovers()) {
                if (!deadline.allows(Deadline.SEGMENT_WRITE)) {
                    pageDone = false;
                    break;
                }
                try {
                    if (delete(key, deletion)) {
                        deleted++;
                    }
                } catch (RuntimeException e) {
                    // One leftover's failure must not hold up the others; the next run reads this page again.
                    LOG.warnf("Cleanup of segment %s/%s/%s failed: %s", key.projectKey(), key.environmentKey(), key.key(),
                            e.getMessage());
                    pageDone = false;
                }
            }
            if (!pageDone) {
                pending++;
            } else if (page.resumeAfter().isPresent()) {
                deletions.progress(deletion, page.resumeAfter(), passStartedAt);
                pending++;
            } else if (passStartedAt >= deletion.deletedAt() + GRACE_MILLIS) {
                deletions.done(deletion);
            } else {
                if (deletion.resumeAfter().isPresent()) {
                    deletions.progress(deletion, Optional.empty(), 0);
                }
                pending++;
            }
        }
        if (deleted > 0 || pending > 0) {
            LOG.infof("Cleanup of deleted environments: %d segments deleted, %d deletions pending", deleted, pending);
        }
        return new Result(deleted, pending);
    }

    /**
     * Makes sure no segment of a deleted environment incarnation stands under {@code key}, so
     * that a segment can be created there: tombstones one that does. True once the key is clear
     * of leftovers, also when a scheduled run cleared it first; false if a live segment of the
     * environment as it is now stands there.
     */
    public boolean clear(SegmentKey key) {
        Optional<String> incarnation = leftovers.environmentOf(key);
        if (incarnation.isEmpty()) {
            return true;
        }
        if (incarnation.equals(current(key.projectKey(), key.environmentKey()))) {
            return false;
        }
        DeletedEnvironment deletion = deletions.find(incarnation.get()).orElseGet(() -> new DeletedEnvironment(key.projectKey(),
                key.environmentKey(), incarnation.get(), false, clock.millis(), Change.SERVICE, Optional.empty(), 0));
        delete(key, deletion);
        return true;
    }

    private boolean delete(SegmentKey key, DeletedEnvironment deletion) {
        return leftovers.delete(key, deletion.environmentId(),
                version -> Change.deletionWith(deletion.container(), version, deletion.deletedAt(), deletion.actor()));
    }

    private Optional<String> current(String projectKey, String environmentKey) {
        return projects.find(projectKey).flatMap(p -> p.environment(environmentKey)).map(Environment::id);
    }
}
