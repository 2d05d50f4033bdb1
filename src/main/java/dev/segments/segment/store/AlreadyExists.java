package dev.segments.segment.store;

/** A create found an item with the same key. */
public final class AlreadyExists extends RuntimeException {

    public AlreadyExists(String message) {
        super(message, null, false, false);
    }
}
