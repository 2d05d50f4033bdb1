package dev.segments.ops;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the work of one invocation must be done, so that it ends with an answer of its own
 * (409 or 503 with {@code Retry-After}) rather than in Lambda's timeout. Every store call of the
 * invocation is bounded by it (see {@code dynamo.DeadlineInterceptor}), and so is every retry
 * loop: lost races, unprocessed batch items, unknown outcomes being read back.
 *
 * <p>A request's deadline comes from its Lambda invocation ({@link Deadlines}); work on other
 * threads (the sweeper's shards, a store call outside any request) binds one to its thread.
 */
public final class Deadline {

    /**
     * What a write leaves of the time for reading back its outcome should its answer be lost:
     * its own call is cut short by this much, so that the read still fits.
     */
    public static final Duration WRITE_RESERVE = Duration.ofMillis(1500);
    /**
     * The least time one segment's write needs in background work (a sweep, a cleanup): a read,
     * a write, and reading back its outcome should the answer be lost. Work that has less left
     * stops and leaves the rest for the next run.
     */
    public static final Duration SEGMENT_WRITE = WRITE_RESERVE.multipliedBy(2);

    private static final ThreadLocal<Deadline> BOUND = new ThreadLocal<>();

    private final long atNanos;

    private Deadline(long atNanos) {
        this.atNanos = atNanos;
    }

    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    public long remainingMillis() {
        return (atNanos - System.nanoTime()) / 1_000_000;
    }

    /** Whether at least {@code work} is left. */
    public boolean allows(Duration work) {
        return remainingMillis() >= work.toMillis();
    }

    /**
     * Waits before retry {@code attempt}: full jitter, growing from 10 ms to a cap of 100 ms,
     * never past the deadline.
     */
    public void pause(int attempt) {
        long cap = Math.min(100, 5L << Math.min(attempt, 5));
        long millis = Math.min(ThreadLocalRandom.current().nextLong(1, cap + 1), Math.max(0, remainingMillis()));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to retry a store call", e);
        }
    }

    /** Work that may throw a checked exception. */
    @FunctionalInterface
    public interface Work<T, X extends Exception> {
        T run() throws X;
    }

    /** Runs {@code work} with this deadline bound to the thread, so that its store calls keep it. */
    public <T, X extends Exception> T bind(Work<T, X> work) throws X {
        Deadline previous = BOUND.get();
        BOUND.set(this);
        try {
            return work.run();
        } finally {
            if (previous == null) {
                BOUND.remove();
            } else {
                BOUND.set(previous);
            }
        }
    }

    /** The deadline bound to this thread, else the running request's; empty outside both. */
    public static Optional<Deadline> current() {
        Deadline bound = BOUND.get();
        if (bound != null) {
            return Optional.of(bound);
        }
        ArcContainer container = Arc.container();
        if (container == null || !container.requestContext().isActive()) {
            return Optional.empty();
        }
        return container.instance(InvocationDeadline.class).get().deadline();
    }
}
