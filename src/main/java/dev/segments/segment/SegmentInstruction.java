package dev.segments.segment;

import java.util.List;
import java.util.Optional;

/** One instruction of a segment semantic patch. Each kind checks everything before it changes anything. */
public sealed interface SegmentInstruction extends SegmentPatches.Step {

    /** {@code addIncludedUsers}, {@code addExcludedTargets}, ...: users are targets of kind {@code user}. */
    record AddTargets(TargetType type, String contextKind, List<String> keys) implements SegmentInstruction {
        public AddTargets {
            keys = List.copyOf(keys);
        }

        @Override
        public void apply(SegmentDraft draft) throws InstructionRejected {
            for (String key : keys) {
                TargetRef opposite = new TargetRef(type.other(), contextKind, key);
                if (draft.contains(opposite)) {
                    throw new InstructionRejected("Cannot add " + opposite.describe() + " to " + type.wire()
                            + ": it is " + opposite.type().wire() + ", and a key cannot be both included and excluded."
                            + " Remove it from " + opposite.type().wire() + " first.");
                }
            }
            List<TargetRef> refs = keys.stream().map(key -> new TargetRef(type, contextKind, key)).toList();
            draft.requireRoomFor(refs);
            refs.forEach(draft::addTarget);
        }
    }

    /** {@code removeIncludedUsers}, ...: also deletes the removed targets' schedules. */
    record RemoveTargets(TargetType type, String contextKind, List<String> keys) implements SegmentInstruction {
        public RemoveTargets {
            keys = List.copyOf(keys);
        }

        @Override
        public void apply(SegmentDraft draft) {
            keys.forEach(key -> draft.removeTarget(new TargetRef(type, contextKind, key)));
        }
    }

    record UpdateName(String value) implements SegmentInstruction {
        @Override
        public void apply(SegmentDraft draft) throws InstructionRejected {
            Optional<String> problem = SegmentLimits.nameProblem(value);
            if (problem.isPresent()) {
                throw new InstructionRejected("updateName cannot rename the segment: " + problem.get() + ".");
            }
            draft.rename(value);
        }
    }

    record UpdateDescription(String value) implements SegmentInstruction {
        @Override
        public void apply(SegmentDraft draft) throws InstructionRejected {
            Optional<String> problem = SegmentLimits.descriptionProblem(value);
            if (problem.isPresent()) {
                throw new InstructionRejected("updateDescription cannot change the description: " + problem.get() + ".");
            }
            draft.describe(value);
        }
    }

    record AddTags(List<String> values) implements SegmentInstruction {
        public AddTags {
            values = List.copyOf(values);
        }

        @Override
        public void apply(SegmentDraft draft) throws InstructionRejected {
            draft.requireRoomForTags(values);
            values.forEach(draft::addTag);
        }
    }

    record RemoveTags(List<String> values) implements SegmentInstruction {
        public RemoveTags {
            values = List.copyOf(values);
        }

        @Override
        public void apply(SegmentDraft draft) {
            values.forEach(draft::removeTag);
        }
    }
}
