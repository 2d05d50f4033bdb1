package dev.segments.segment.store;

/** A write kept losing to concurrent writers; nothing was changed. */
public final class WriteConflict extends RuntimeException {

    public WriteConflict(String message) {
        super(message, null, false, false);
    }
}
