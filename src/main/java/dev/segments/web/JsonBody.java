package dev.segments.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segments.segment.SegmentLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Request bodies, read by hand so that every way a body can be wrong gets its own clear
 * LaunchDarkly-style error instead of a framework default.
 */
public final class JsonBody {

    /** The largest body accepted (413 above it). */
    public static final int MAX_BYTES = 1024 * 1024;

    /** The media type of a semantic patch body, as LaunchDarkly's documentation gives it. */
    public static final String SEMANTIC_PATCH = "application/json; domain-model=launchdarkly.semanticpatch";

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonBody() {
    }

    public static JsonNode object(String contentType, byte[] body) {
        requireJson(contentType);
        return parse(body);
    }

    /** A semantic patch body: JSON with {@code domain-model=launchdarkly.semanticpatch}. */
    public static JsonNode semanticPatch(String contentType, byte[] body) {
        requireJson(contentType);
        if (!isSemanticPatch(contentType)) {
            throw ApiError.invalid("This endpoint takes semantic patch instructions: add domain-model=launchdarkly.semanticpatch"
                    + " to the Content-Type header, as in Content-Type: application/json; domain-model=launchdarkly.semanticpatch.");
        }
        return parse(body);
    }

    /** True if the body is a semantic patch: its Content-Type says {@code domain-model=launchdarkly.semanticpatch}. */
    public static boolean isSemanticPatch(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).replace(" ", "").contains("domain-model=launchdarkly.semanticpatch");
    }

    /** A JSON Patch body: JSON (also as {@code application/json-patch+json}), an array or an object. */
    static JsonNode patchDocument(String contentType, byte[] body) {
        if (!mediaType(contentType).equals("application/json-patch+json")) {
            requireJson(contentType);
        }
        JsonNode node = read(body);
        if (!node.isArray() && !node.isObject()) {
            throw ApiError.invalid("A JSON Patch body is an array of operations, or {\"patch\": [...], \"comment\": \"...\"}.");
        }
        return node;
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    private static void requireJson(String contentType) {
        String type = mediaType(contentType);
        if (!type.equals("application/json")) {
            throw new ApiError(415, "unsupported_media_type", "The body must be JSON sent with Content-Type: application/json"
                    + (type.isEmpty() ? "." : " (not " + type + ")."));
        }
    }

    private static JsonNode parse(byte[] body) {
        JsonNode node = read(body);
        if (!node.isObject()) {
            throw ApiError.invalid("The request body must be a JSON object.");
        }
        return node;
    }

    private static JsonNode read(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiError.invalid("The request body is empty; send a JSON object.");
        }
        if (body.length > MAX_BYTES) {
            throw new ApiError(413, "request_entity_too_large",
                    "The request body is " + body.length + " bytes; the limit is " + MAX_BYTES + " bytes. Split the change into smaller requests.");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.invalid("The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.invalid("The request body could not be read.");
        }
        if (node == null) {
            throw ApiError.invalid("The request body is empty; send JSON.");
        }
        return node;
    }

    // Field readers: each names the field and says what it must be.

    public static String requiredString(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ApiError.invalid(where + " needs \"" + field + "\", a string.");
        }
        if (!value.isTextual()) {
            throw ApiError.invalid(where + ": \"" + field + "\" must be a string, not " + value.getNodeType().name().toLowerCase(Locale.ROOT) + ".");
        }
        return value.textValue();
    }

    public static String optionalString(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : requiredString(node, field, where);
    }

    public static long requiredLong(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ApiError.invalid(where + " needs \"" + field + "\", an integer.");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiError.invalid(where + ": \"" + field + "\" must be an integer"
                    + (value.isNumber() ? " that fits in 64 bits" : ", not " + value.getNodeType().name().toLowerCase(Locale.ROOT)) + ".");
        }
        return value.longValue();
    }

    public static List<String> stringArray(JsonNode node, String field, String where, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiError.invalid(where + " needs \"" + field + "\", an array of strings.");
            }
            return List.of();
        }
        if (!value.isArray()) {
            throw ApiError.invalid(where + ": \"" + field + "\" must be an array of strings.");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw ApiError.invalid(where + ": every entry of \"" + field + "\" must be a string.");
            }
            values.add(item.textValue());
        }
        return values;
    }

    /** The {@code instructions} array: present, non-empty, at most {@code max}, every entry an object with a kind. */
    public static List<JsonNode> instructions(JsonNode body, int max) {
        JsonNode instructions = body.get("instructions");
        if (instructions == null || instructions.isNull()) {
            throw ApiError.invalid("The body needs \"instructions\", a non-empty array of semantic patch instructions.");
        }
        if (!instructions.isArray() || instructions.isEmpty()) {
            throw ApiError.invalid("\"instructions\" must be a non-empty array of semantic patch instructions.");
        }
        if (instructions.size() > max) {
            throw ApiError.invalid("The request has " + instructions.size() + " instructions; the limit is " + max
                    + ". Split it into several requests.");
        }
        List<JsonNode> list = new ArrayList<>();
        for (int i = 0; i < instructions.size(); i++) {
            JsonNode instruction = instructions.get(i);
            if (!instruction.isObject()) {
                throw ApiError.invalid("Instruction " + i + " must be a JSON object with a \"kind\".");
            }
            requiredString(instruction, "kind", "Instruction " + i);
            list.add(instruction);
        }
        return list;
    }

    public static String comment(JsonNode body) {
        String comment = optionalString(body, "comment", "The body");
        if (comment != null && comment.length() > SegmentLimits.MAX_COMMENT) {
            throw ApiError.invalid("\"comment\" is " + comment.length() + " characters long; the limit is " + SegmentLimits.MAX_COMMENT + ".");
        }
        return comment;
    }
}
