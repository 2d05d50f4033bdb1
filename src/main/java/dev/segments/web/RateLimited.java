package dev.segments.web;

/** A request over its token's rate limit: 429 with when the window resets. */
public final class RateLimited extends RuntimeException {

    private final long resetMillis;
    private final long retryAfterSeconds;

    RateLimited(String message, long resetMillis, long retryAfterSeconds) {
        super(message, null, false, false);
        this.resetMillis = resetMillis;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    long resetMillis() {
        return resetMillis;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
