package dev.segments.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * JSON Patch (RFC 6902) bodies as LaunchDarkly takes them: an array of operations, or
 * {@code {"patch": [...], "comment": "..."}}. Supported operations: {@code add}, {@code remove},
 * {@code replace} and {@code test}; every path names a field of the resource, or an element
 * of a list field by index, or the end of one ({@code -}). A malformed body or operation
 * refuses the whole request with a 400 naming it.
 */
public final class JsonPatch {

    /** The most operations one request may carry, as for semantic-patch instructions. */
    public static final int MAX_OPERATIONS = 250;

    private static final Pattern ARRAY_INDEX = Pattern.compile("^(0|[1-9][0-9]{0,8})$");
    /** JSON equality, with numbers equal when their values are (5 and 5.0 alike), as RFC 6902's test compares them. */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> a.equals(b)
            || (a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0) ? 0 : 1;

    private JsonPatch() {
    }

    public enum Op {
        ADD, REMOVE, REPLACE, TEST;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One operation: its place in the patch, what it does, its path as JSON Pointer text and as
     * reference tokens, and its value (null when it takes none; a JSON null is {@code NullNode}).
     */
    public record Operation(int index, Op op, String path, List<String> pointer, JsonNode value) {

        /** How messages name it, e.g. {@code Operation 2 (test /name)}. */
        public String where() {
            return "Operation " + index + " (" + op.wire() + " " + path + ")";
        }

        public ApiError invalid(String problem) {
            return ApiError.invalid(where() + ": " + problem);
        }
    }

    /** The operations and the optional comment. */
    public record Body(List<Operation> operations, String comment) {
    }

    public static Body parse(String contentType, byte[] body) {
        JsonNode json = JsonBody.patchDocument(contentType, body);
        JsonNode operations = json;
        String comment = null;
        if (json.isObject()) {
            if (json.has("instructions")) {
                throw ApiError.invalid("This body looks like a semantic patch: add domain-model=launchdarkly.semanticpatch to the"
                        + " Content-Type header, as in Content-Type: application/json; domain-model=launchdarkly.semanticpatch."
                        + " Without it, the body must be a JSON Patch: an array of operations, or {\"patch\": [...], \"comment\": \"...\"}.");
            }
            operations = json.get("patch");
            if (operations == null || !operations.isArray()) {
                throw ApiError.invalid("A JSON Patch body is an array of operations, or {\"patch\": [...], \"comment\": \"...\"}"
                        + " with \"patch\" an array of operations such as {\"op\": \"replace\", \"path\": \"/name\", \"value\": \"New name\"}.");
            }
            comment = JsonBody.comment(json);
        }
        if (operations.isEmpty()) {
            throw ApiError.invalid("The JSON Patch has no operations; send at least one.");
        }
        if (operations.size() > MAX_OPERATIONS) {
            throw ApiError.invalid("The JSON Patch has " + operations.size() + " operations; the limit is " + MAX_OPERATIONS
                    + ". Split it into several requests.");
        }
        List<Operation> parsed = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            parsed.add(operation(i, operations.get(i)));
        }
        return new Body(parsed, comment);
    }

    private static Operation operation(int index, JsonNode node) {
        String where = "Operation " + index;
        if (!node.isObject()) {
            throw ApiError.invalid(where + " must be a JSON object with \"op\" and \"path\".");
        }
        String opName = JsonBody.requiredString(node, "op", where);
        String path = JsonBody.requiredString(node, "path", where);
        Op op = switch (opName) {
            case "add" -> Op.ADD;
            case "remove" -> Op.REMOVE;
            case "replace" -> Op.REPLACE;
            case "test" -> Op.TEST;
            case "move", "copy" -> throw ApiError.invalid(where + ": \"" + opName + "\" is not supported; use remove and add.");
            default -> throw ApiError.invalid(where + ": \"op\" must be \"add\", \"remove\", \"replace\" or \"test\", not \""
                    + opName + "\".");
        };
        if (!path.startsWith("/")) {
            throw ApiError.invalid(where + ": \"path\" must be a JSON Pointer such as \"/name\", not \"" + path + "\".");
        }
        JsonNode value = node.get("value");
        if (op != Op.REMOVE && value == null) {
            throw ApiError.invalid(where + " (" + opName + " " + path + ") needs a \"value\".");
        }
        List<String> pointer = new ArrayList<>();
        for (String token : path.substring(1).split("/", -1)) {
            pointer.add(token.replace("~1", "/").replace("~0", "~"));
        }
        return new Operation(index, op, path, List.copyOf(pointer), op == Op.REMOVE ? null : value);
    }

    /** The index an array reference token names, or -1 for {@code -} (past the last element). */
    public static int arrayIndex(Operation operation, String token) {
        if (token.equals("-")) {
            return -1;
        }
        if (!ARRAY_INDEX.matcher(token).matches()) {
            throw operation.invalid("\"" + token + "\" is not an array index: use 0, 1, 2, ... or - for the end.");
        }
        return Integer.parseInt(token);
    }

    /**
     * Applies the operations to a resource's patchable fields, given as the top-level members
     * of {@code document}, with RFC 6902's rules; a path outside them, an index beyond a list
     * or a failed {@code test} refuses the whole patch. Returns the patched copy; the caller
     * checks that its fields still hold valid values.
     */
    public static ObjectNode apply(ObjectNode document, List<Operation> operations) {
        ObjectNode patched = document.deepCopy();
        for (Operation operation : operations) {
            apply(patched, operation, document);
        }
        return patched;
    }

    private static void apply(ObjectNode document, Operation operation, ObjectNode fields) {
        List<String> pointer = operation.pointer();
        String field = pointer.get(0);
        if (!fields.has(field) || pointer.size() > 2) {
            throw operation.invalid("this path cannot be patched. Patchable: /" + String.join(", /", iterable(fields))
                    + ", and entries of the lists among them by index (/tags/0, /tags/-).");
        }
        if (pointer.size() == 1) {
            switch (operation.op()) {
                case ADD, REPLACE -> document.set(field, operation.value());
                case REMOVE -> document.remove(field);
                case TEST -> test(operation, document.get(field));
            }
            return;
        }
        if (!(document.get(field) instanceof ArrayNode list)) {
            throw operation.invalid("/" + field + " is not a list, so it has no entries to address.");
        }
        int index = arrayIndex(operation, pointer.get(1));
        if (operation.op() == Op.ADD) {
            if (index > list.size()) {
                throw operation.invalid("the index is past the end of /" + field + ", which has " + list.size() + " entries.");
            }
            list.insert(index < 0 ? list.size() : index, operation.value());
            return;
        }
        if (index < 0 || index >= list.size()) {
            throw operation.invalid("there is no such entry: /" + field + " has " + list.size() + " entries.");
        }
        switch (operation.op()) {
            case REPLACE -> list.set(index, operation.value());
            case REMOVE -> list.remove(index);
            default -> test(operation, list.get(index));
        }
    }

    private static void test(Operation operation, JsonNode actual) {
        if (actual == null || !actual.equals(SAME_VALUE, operation.value())) {
            throw operation.invalid("the test failed: the value there is " + (actual == null ? "absent" : actual.toString())
                    + ", not " + operation.value() + ". Nothing was changed.");
        }
    }

    private static Iterable<String> iterable(ObjectNode fields) {
        List<String> names = new ArrayList<>();
        fields.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
