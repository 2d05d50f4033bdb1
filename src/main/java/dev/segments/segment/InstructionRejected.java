package dev.segments.segment;

/**
 * An instruction that cannot be applied to the segment as it stands. Thrown before the
 * instruction changes anything, so the draft is left as it was.
 */
public final class InstructionRejected extends Exception {

    public InstructionRejected(String message) {
        super(message, null, false, false);
    }
}
