package dev.segments.dynamo;

import java.util.concurrent.ThreadLocalRandom;

/** The pause before another attempt at a conditional write that lost a race, or a batch with unprocessed items. */
public final class Backoff {

    private Backoff() {
    }

    /** Full jitter, capped at 100 ms: writers that collided spread out instead of colliding again. */
    public static void pause(int attempt) {
        long cap = Math.min(100, 5L << Math.min(attempt, 5));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying a write", e);
        }
    }
}
