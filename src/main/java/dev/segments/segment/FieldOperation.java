package dev.segments.segment;

import dev.segments.segment.FieldPath.Field;
import dev.segments.segment.FieldPath.Position;
import dev.segments.segment.FieldValue.Nothing;
import dev.segments.segment.FieldValue.Text;
import dev.segments.segment.FieldValue.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One operation of a JSON Patch (RFC 6902) on a segment: {@code add}, {@code remove},
 * {@code replace} or {@code test} at a {@link FieldPath}. A list is edited as the API shows
 * it (tags in their order, user keys sorted) with RFC 6902's index rules, and the result is
 * then taken as the list's new content: tags keep the new order; a list of user keys is a set,
 * so a key added at any index joins it (and shows in sorted order), a key added twice is there
 * once, and a key taken out loses its scheduled removal. Each kind checks everything before it
 * changes anything.
 */
public sealed interface FieldOperation extends SegmentPatches.Step {

    FieldPath path();

    /** {@code add}: sets a field, or inserts into a list at an index or at its end. */
    record Add(FieldPath path, FieldValue value) implements FieldOperation {
        @Override
        public void apply(SegmentDraft draft) throws InstructionRejected {
            if (setWhole(draft, path, value)) {
                return;
            }
            List<String> list = list(draft, path.field());
            int index = path.position() instanceof Position.At at ? at.index() : list.size();
            if (index > list.size()) {
                throw new InstructionRejected(path.pointer() + " is past the end of " + path.field().wire() + ", which has "
                        + list.size() + " entries; add at /" + path.field().wire() + "/- to append.");
            }
            list.add(index, element(path, value));
            assign(draft, path.field(), list);
        }
    }

    /** {@code replace}: sets a field, or one element of a list. */
    record Replace(FieldPath path, FieldValue value) implements FieldOperation {
        @Override
        public void apply(SegmentDraft draft) throws InstructionRejected {
            if (setWhole(draft, path, value)) {
                return;
            }
            List<String> list = list(draft, path.field());
            list.set(existing(path, list), element(path, value));
            assign(draft, path.field(), list);
        }
    }

    /** {@code remove}: the description, a whole list (which empties it), or one element of a list. */
    record Remove(FieldPath path) implements FieldOperation {
        @Override
        public void apply(SegmentDraft draft) throws InstructionRejected {
            switch (path.field()) {
                case NAME -> throw new InstructionRejected("/name cannot be removed: a segment must have a name.");
                case DESCRIPTION -> draft.describe(null);
                default -> {
                    List<String> list = path.isWhole() ? new ArrayList<>() : list(draft, path.field());
                    if (!path.isWhole()) {
                        list.remove(existing(path, list));
                    }
                    assign(draft, path.field(), list);
                }
            }
        }
    }

    /** {@code test}: the value at the path equals the given one, or the whole patch is refused. */
    record Test(FieldPath path, FieldValue value) implements FieldOperation {
        @Override
        public void apply(SegmentDraft draft) throws InstructionRejected {
            FieldValue actual;
            if (!path.field().isList()) {
                actual = path.field() == Field.NAME ? new Text(draft.name())
                        : draft.description().<FieldValue>map(Text::new).orElse(new Nothing());
            } else if (path.isWhole()) {
                actual = new Texts(list(draft, path.field()));
            } else {
                List<String> list = list(draft, path.field());
                actual = new Text(list.get(existing(path, list)));
            }
            if (!actual.equals(value)) {
                throw new InstructionRejected("The test failed: " + path.pointer() + " is " + show(actual) + ", not "
                        + show(value) + ".");
            }
        }
    }

    /** Sets a scalar field or a whole list, and says so; false for a path to one entry of a list. */
    private static boolean setWhole(SegmentDraft draft, FieldPath path, FieldValue value) throws InstructionRejected {
        if (path.field().isList() && !path.isWhole()) {
            return false;
        }
        switch (path.field()) {
            case NAME -> {
                if (!(value instanceof Text text) || text.value().isBlank()) {
                    throw new InstructionRejected("/name must be set to a non-empty string: a segment must have a name.");
                }
                require(SegmentLimits.nameProblem(text.value()));
                draft.rename(text.value());
            }
            case DESCRIPTION -> {
                if (value instanceof Texts) {
                    throw new InstructionRejected("/description must be set to a string or null.");
                }
                String description = value instanceof Text text ? text.value() : null;
                require(SegmentLimits.descriptionProblem(description));
                draft.describe(description);
            }
            default -> {
                if (!(value instanceof Texts texts)) {
                    throw new InstructionRejected(path.pointer() + " must be set to an array of strings; to add one entry, use "
                            + path.pointer() + "/- or an index.");
                }
                assign(draft, path.field(), texts.values());
            }
        }
        return true;
    }

    private static String element(FieldPath path, FieldValue value) throws InstructionRejected {
        if (value instanceof Text text) {
            return text.value();
        }
        throw new InstructionRejected("An entry of /" + path.field().wire() + " must be a string.");
    }

    /** The index of an element the path names, which must exist. */
    private static int existing(FieldPath path, List<String> list) throws InstructionRejected {
        if (path.position() instanceof Position.At at && at.index() < list.size()) {
            return at.index();
        }
        throw new InstructionRejected(path.pointer() + " names no entry: " + path.field().wire() + " has " + list.size()
                + " entries" + (list.isEmpty() ? "." : ", at indexes 0 to " + (list.size() - 1) + "."));
    }

    private static List<String> list(SegmentDraft draft, Field field) {
        return new ArrayList<>(switch (field) {
            case TAGS -> draft.tags();
            case INCLUDED -> draft.userKeys(TargetType.INCLUDED);
            case EXCLUDED -> draft.userKeys(TargetType.EXCLUDED);
            default -> throw new IllegalArgumentException(field + " is not a list");
        });
    }

    /** Makes {@code values} the list's content, if the segment's limits leave room for it. */
    private static void assign(SegmentDraft draft, Field field, List<String> values) throws InstructionRejected {
        switch (field) {
            case TAGS -> {
                require(SegmentLimits.tagsProblem(values));
                draft.assignTags(values);
            }
            case INCLUDED, EXCLUDED -> {
                TargetType type = field == Field.INCLUDED ? TargetType.INCLUDED : TargetType.EXCLUDED;
                draft.requireRoomFor(values.stream().map(key -> new TargetRef(type, TargetRef.USER, key)).toList());
                draft.assignUsers(type, values);
            }
            default -> throw new IllegalArgumentException(field + " is not a list");
        }
    }

    private static void require(Optional<String> problem) throws InstructionRejected {
        if (problem.isPresent()) {
            throw new InstructionRejected("The segment would break one of its limits: " + problem.get() + ".");
        }
    }

    private static String show(FieldValue value) {
        if (value instanceof Text text) {
            return "\"" + text.value() + "\"";
        }
        if (value instanceof Texts texts) {
            return texts.values().size() > 10 ? "a list of " + texts.values().size() + " entries"
                    : texts.values().stream().map(v -> "\"" + v + "\"").toList().toString();
        }
        return "null";
    }
}
