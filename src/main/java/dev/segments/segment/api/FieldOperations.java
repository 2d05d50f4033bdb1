package dev.segments.segment.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segments.segment.FieldOperation;
import dev.segments.segment.FieldPath;
import dev.segments.segment.FieldPath.Field;
import dev.segments.segment.FieldPath.Position;
import dev.segments.segment.FieldValue;
import dev.segments.segment.SegmentLimits;
import dev.segments.web.JsonPatch;
import dev.segments.web.Keys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a segment's JSON Patch operations into domain operations: the path into a field and
 * position, the value into a string or a list of strings, checked against the field's bounds.
 * Anything malformed refuses the whole request with a 400; whether an operation can apply
 * (an index within the list, a test that holds) is the domain's call.
 */
final class FieldOperations {

    private FieldOperations() {
    }

    static List<FieldOperation> of(List<JsonPatch.Operation> operations) {
        List<FieldOperation> parsed = new ArrayList<>();
        for (JsonPatch.Operation operation : operations) {
            FieldPath path = path(operation);
            parsed.add(switch (operation.op()) {
                case ADD -> new FieldOperation.Add(path, checked(operation, path, value(operation)));
                case REPLACE -> new FieldOperation.Replace(path, checked(operation, path, value(operation)));
                case REMOVE -> new FieldOperation.Remove(path);
                case TEST -> new FieldOperation.Test(path, value(operation));
            });
        }
        return parsed;
    }

    private static FieldPath path(JsonPatch.Operation operation) {
        List<String> pointer = operation.pointer();
        Field field = Arrays.stream(Field.values()).filter(f -> f.wire().equals(pointer.get(0))).findFirst().orElse(null);
        if (field == null || pointer.size() > 2 || (pointer.size() == 2 && !field.isList())) {
            throw operation.invalid("this path cannot be patched. A segment's JSON Patch may change /name, /description, /tags,"
                    + " /included and /excluded, and entries of the last three by index (/included/0, /included/-).");
        }
        if (pointer.size() == 1) {
            return FieldPath.whole(field);
        }
        int index = JsonPatch.arrayIndex(operation, pointer.get(1));
        return new FieldPath(field, index < 0 ? new Position.End() : new Position.At(index));
    }

    private static FieldValue value(JsonPatch.Operation operation) {
        JsonNode value = operation.value();
        if (value.isNull()) {
            return new FieldValue.Nothing();
        }
        if (value.isTextual()) {
            return new FieldValue.Text(value.textValue());
        }
        if (value.isArray()) {
            List<String> texts = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw operation.invalid("every entry of \"value\" must be a string.");
                }
                texts.add(item.textValue());
            }
            return new FieldValue.Texts(texts);
        }
        throw operation.invalid("\"value\" must be a string, an array of strings, or null.");
    }

    /** A value to write must respect its field's bounds (a value to test against need not). */
    private static FieldValue checked(JsonPatch.Operation operation, FieldPath path, FieldValue value) {
        String where = operation.where();
        List<String> texts = value instanceof FieldValue.Texts list ? list.values()
                : value instanceof FieldValue.Text text ? List.of(text.value()) : List.of();
        switch (path.field()) {
            case NAME -> texts.forEach(name -> SegmentDetails.name(name, where));
            case DESCRIPTION -> texts.forEach(description -> SegmentDetails.description(description, where));
            case TAGS -> SegmentDetails.tags(texts, where);
            default -> {
                if (!texts.stream().allMatch(Keys::validTarget)) {
                    throw operation.invalid("every user key must be a non-empty string of at most " + SegmentLimits.MAX_TARGET_KEY_BYTES
                            + " UTF-8 bytes.");
                }
            }
        }
        return value;
    }
}
