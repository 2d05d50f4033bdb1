package dev.segments.segment;

import java.util.ArrayList;
import java.util.List;

/**
 * The two ways a request changes a segment. Both start from the stored segment with due
 * removals carried out, so a request arriving after a due time sees the segment as it is.
 */
public final class SegmentPatches {

    private SegmentPatches() {
    }

    /** A failed instruction of an expiring-targets patch: its 0-based index and why. */
    public record InstructionError(int instructionIndex, String message) {
    }

    /** The outcome of an expiring-targets patch: what to commit, and which instructions failed. */
    public record PartialOutcome(Revision revision, List<InstructionError> errors) {
    }

    /** A segment patch that was refused as a whole, with the instruction that refused. */
    public static final class Refused extends Exception {
        private final int instructionIndex;

        Refused(int instructionIndex, String message) {
            super(message, null, false, false);
            this.instructionIndex = instructionIndex;
        }

        public int instructionIndex() {
            return instructionIndex;
        }
    }

    /** Expiring targets: each instruction succeeds or fails alone; the successes commit together. */
    public static PartialOutcome expiringTargets(Segment stored, List<? extends ExpiringTargetInstruction> instructions, Edit edit) {
        Revision due = Expiry.carryOut(stored, edit.now());
        SegmentDraft draft = due.segment().edit();
        List<InstructionError> errors = new ArrayList<>();
        for (int i = 0; i < instructions.size(); i++) {
            try {
                instructions.get(i).apply(draft, edit.now(), edit.ids());
            } catch (InstructionRejected rejected) {
                errors.add(new InstructionError(i, rejected.getMessage()));
            }
        }
        return new PartialOutcome(due.then(draft, edit.now(), edit.actor(), edit.comment()), errors);
    }

    /** Segment semantic patch: all instructions apply, or none does. */
    public static Revision segment(Segment stored, List<? extends SegmentInstruction> instructions, Edit edit) throws Refused {
        Revision due = Expiry.carryOut(stored, edit.now());
        SegmentDraft draft = due.segment().edit();
        for (int i = 0; i < instructions.size(); i++) {
            try {
                instructions.get(i).apply(draft);
            } catch (InstructionRejected rejected) {
                throw new Refused(i, rejected.getMessage());
            }
        }
        return due.then(draft, edit.now(), edit.actor(), edit.comment());
    }
}
