package dev.segments.dynamo;

/**
 * The store could not complete a request before its deadline (unavailable, throttling, or
 * handing back unprocessed items); answered 503 with {@code Retry-After}. The message says
 * what is known about the outcome: nothing changed, or a write that may or may not have been
 * applied.
 */
public final class StoreUnavailable extends RuntimeException {

    private StoreUnavailable(String message) {
        super(message, null, false, false);
    }

    /** Known to have changed nothing: it failed before its write, or its write was never sent. */
    public static StoreUnavailable nothingChanged(String what) {
        return new StoreUnavailable("The data store is unavailable or throttling, and " + what
                + " could not be completed in time. Nothing was changed; retry after a short wait.");
    }

    /** A write was sent, and whether it was applied could not be read back in time. */
    public static StoreUnavailable outcomeUnknown(String what) {
        return new StoreUnavailable("The data store did not confirm in time whether " + what
                + " was applied: it may or may not have been. Read it to find out before sending the request again.");
    }

    /** Neither: a read, or part of a write whose caller says what it means. */
    public static StoreUnavailable timedOut(String what) {
        return new StoreUnavailable("The data store is unavailable or throttling, and " + what
                + " could not be completed in time; retry after a short wait.");
    }
}
