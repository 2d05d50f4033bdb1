package dev.segments.segment.store;

/** A change that would make the segment's head item larger than the store keeps it; nothing was written. */
public final class TooLarge extends RuntimeException {

    public TooLarge(String message) {
        super(message, null, false, false);
    }
}
