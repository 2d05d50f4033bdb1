package dev.segments.segment.api;

import static dev.segments.web.JsonBody.requiredLong;
import static dev.segments.web.JsonBody.requiredString;
import static dev.segments.web.JsonBody.stringArray;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segments.segment.ExpiringTargetInstruction;
import dev.segments.segment.ExpiringTargetInstruction.VersionCheck;
import dev.segments.segment.SegmentInstruction;
import dev.segments.segment.SegmentLimits;
import dev.segments.segment.TargetRef;
import dev.segments.segment.TargetType;
import dev.segments.web.ApiError;
import dev.segments.web.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Turns instruction JSON into domain instructions. Anything malformed (unknown kind, missing
 * or mistyped parameter, bad target type or key) refuses the whole request with a 400;
 * whether a well-formed instruction can apply is the domain's call.
 */
final class Instructions {

    /**
     * How one expiring-targets API spells its instructions. The two differ only in kind names,
     * the key field, where the context kind comes from, and what {@code version} is compared with.
     */
    private record Dialect(String add, String update, String remove, String keyField,
            BiFunction<JsonNode, String, String> contextKind, BiFunction<JsonNode, String, VersionCheck> version) {
        List<String> kinds() {
            return List.of(add, update, remove);
        }
    }

    /** The user endpoint: kind {@code user}; {@code version} is required and is the segment's version. */
    private static final Dialect USER_DIALECT = new Dialect("addExpireUserTargetDate", "updateExpireUserTargetDate",
            "removeExpireUserTargetDate", "userKey", (node, where) -> TargetRef.USER,
            (node, where) -> new VersionCheck.SegmentVersion(requiredLong(node, "version", where)));

    /** The context endpoint: any kind; {@code version}, when given, is the schedule's own {@code _version}. */
    private static final Dialect CONTEXT_DIALECT = new Dialect("addExpiringTarget", "updateExpiringTarget",
            "removeExpiringTarget", "contextKey", Instructions::contextKind,
            (node, where) -> node.hasNonNull("version") ? new VersionCheck.TargetVersion(requiredLong(node, "version", where))
                    : new VersionCheck.None());

    private Instructions() {
    }

    static List<ExpiringTargetInstruction> expiring(ExpiringView view, List<JsonNode> nodes) {
        Dialect dialect = view == ExpiringView.USERS ? USER_DIALECT : CONTEXT_DIALECT;
        List<ExpiringTargetInstruction> instructions = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            String kind = node.get("kind").textValue();
            String where = "Instruction " + i + " (" + kind + ")";
            if (!dialect.kinds().contains(kind)) {
                throw unknownKind(i, kind, dialect.kinds());
            }
            TargetRef target = new TargetRef(targetType(node, where), dialect.contextKind().apply(node, where),
                    targetKey(node, dialect.keyField(), where));
            if (kind.equals(dialect.add())) {
                instructions.add(new ExpiringTargetInstruction.Add(target, requiredLong(node, "value", where)));
            } else if (kind.equals(dialect.update())) {
                instructions.add(new ExpiringTargetInstruction.Update(target, requiredLong(node, "value", where),
                        dialect.version().apply(node, where)));
            } else {
                instructions.add(new ExpiringTargetInstruction.Remove(target));
            }
        }
        return instructions;
    }

    private static final List<String> SEGMENT_KINDS = List.of("addIncludedUsers", "removeIncludedUsers", "addExcludedUsers",
            "removeExcludedUsers", "addIncludedTargets", "removeIncludedTargets", "addExcludedTargets", "removeExcludedTargets",
            "updateName", "updateDescription", "addTags", "removeTags");

    static List<SegmentInstruction> segment(List<JsonNode> nodes) {
        List<SegmentInstruction> instructions = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            String kind = node.get("kind").textValue();
            String where = "Instruction " + i + " (" + kind + ")";
            instructions.add(switch (kind) {
                case "addIncludedUsers" -> new SegmentInstruction.AddTargets(TargetType.INCLUDED, TargetRef.USER, targetKeys(node, where));
                case "removeIncludedUsers" -> new SegmentInstruction.RemoveTargets(TargetType.INCLUDED, TargetRef.USER, targetKeys(node, where));
                case "addExcludedUsers" -> new SegmentInstruction.AddTargets(TargetType.EXCLUDED, TargetRef.USER, targetKeys(node, where));
                case "removeExcludedUsers" -> new SegmentInstruction.RemoveTargets(TargetType.EXCLUDED, TargetRef.USER, targetKeys(node, where));
                case "addIncludedTargets" -> new SegmentInstruction.AddTargets(TargetType.INCLUDED, contextKind(node, where), targetKeys(node, where));
                case "removeIncludedTargets" -> new SegmentInstruction.RemoveTargets(TargetType.INCLUDED, contextKind(node, where), targetKeys(node, where));
                case "addExcludedTargets" -> new SegmentInstruction.AddTargets(TargetType.EXCLUDED, contextKind(node, where), targetKeys(node, where));
                case "removeExcludedTargets" -> new SegmentInstruction.RemoveTargets(TargetType.EXCLUDED, contextKind(node, where), targetKeys(node, where));
                case "updateName" -> new SegmentInstruction.UpdateName(requiredString(node, "value", where));
                case "updateDescription" -> new SegmentInstruction.UpdateDescription(requiredString(node, "value", where));
                case "addTags" -> new SegmentInstruction.AddTags(stringArray(node, "values", where, true));
                case "removeTags" -> new SegmentInstruction.RemoveTags(stringArray(node, "values", where, true));
                default -> throw unknownKind(i, kind, SEGMENT_KINDS);
            });
        }
        return instructions;
    }

    private static ApiError unknownKind(int index, String kind, List<String> supported) {
        return ApiError.invalid("Instruction " + index + " has the unknown kind \"" + kind + "\". This endpoint supports: "
                + String.join(", ", supported) + ".");
    }

    private static TargetType targetType(JsonNode node, String where) {
        String value = requiredString(node, "targetType", where);
        return TargetType.fromWire(value).orElseThrow(() -> ApiError.invalid(
                where + ": \"targetType\" must be \"included\" or \"excluded\", not \"" + value + "\"."));
    }

    private static String targetKey(JsonNode node, String field, String where) {
        String key = requiredString(node, field, where);
        if (!Keys.validTarget(key)) {
            throw ApiError.invalid(where + ": \"" + field + "\" must be a non-empty string of at most "
                    + SegmentLimits.MAX_TARGET_KEY_BYTES + " UTF-8 bytes.");
        }
        return key;
    }

    private static List<String> targetKeys(JsonNode node, String where) {
        List<String> keys = stringArray(node, "values", where, true);
        for (String key : keys) {
            if (!Keys.validTarget(key)) {
                throw ApiError.invalid(where + ": every entry of \"values\" must be a non-empty string of at most "
                        + SegmentLimits.MAX_TARGET_KEY_BYTES + " UTF-8 bytes.");
            }
        }
        return keys;
    }

    private static String contextKind(JsonNode node, String where) {
        String kind = requiredString(node, "contextKind", where);
        if (!kind.matches("^[A-Za-z0-9._-]{1,64}$") || kind.equals("kind")) {
            throw ApiError.invalid(where + ": \"contextKind\" must be 1 to 64 letters, digits, '.', '_' or '-' (and not \"kind\").");
        }
        return kind;
    }
}
