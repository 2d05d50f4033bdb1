package dev.segments.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The ways a request changes a segment. All start from the stored segment with due removals
 * carried out, so a request arriving after a due time sees the segment as it is.
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

    /** One step of an all-or-nothing patch: a semantic-patch instruction or a JSON Patch operation. */
    interface Step {
        void apply(SegmentDraft draft) throws InstructionRejected;
    }

    /**
     * A patch that was refused as a whole, with the step that refused, or none when it is the
     * outcome of all of them together that cannot be.
     */
    public static final class Refused extends Exception {
        private final OptionalInt instructionIndex;

        Refused(OptionalInt instructionIndex, String message) {
            super(message, null, false, false);
            this.instructionIndex = instructionIndex;
        }

        public OptionalInt instructionIndex() {
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
        return allOrNothing(stored, instructions, edit);
    }

    /**
     * Segment JSON Patch: the operations apply in order, each seeing what the ones before it
     * did, and all of them or none; a failed {@code test} refuses the whole patch. A key may
     * pass through both lists on the way (remove it from one after adding it to the other),
     * but not end up in both.
     */
    public static Revision fields(Segment stored, List<? extends FieldOperation> operations, Edit edit) throws Refused {
        return allOrNothing(stored, operations, edit);
    }

    private static Revision allOrNothing(Segment stored, List<? extends Step> steps, Edit edit) throws Refused {
        Revision due = Expiry.carryOut(stored, edit.now());
        SegmentDraft draft = due.segment().edit();
        for (int i = 0; i < steps.size(); i++) {
            try {
                steps.get(i).apply(draft);
            } catch (InstructionRejected rejected) {
                throw new Refused(OptionalInt.of(i), rejected.getMessage());
            }
        }
        Optional<TargetRef> both = draft.targetInBothLists();
        if (both.isPresent()) {
            throw new Refused(OptionalInt.empty(), "The patch would leave " + both.get().describe()
                    + " both included and excluded, and a key cannot be both. Remove it from one of the lists.");
        }
        return due.then(draft, edit.now(), edit.actor(), edit.comment());
    }
}
