package dev.segments.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares our OpenAPI document with LaunchDarkly's: every operation we publish must be one of
 * LaunchDarkly's, at the same path, with the same method and operationId, and its path
 * parameters must be the ones its path names.
 */
final class OpenApiDrift {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}]+)}");

    private OpenApiDrift() {
    }

    /** Each way {@code ours} differs from {@code reference}, one readable line each; empty when it does not. */
    static List<String> differences(JsonNode ours, JsonNode reference) {
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : ours.path("paths").properties()) {
            JsonNode referencePath = reference.path("paths").path(path.getKey());
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (!METHODS.contains(operation.getKey())) {
                    continue;
                }
                String where = operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                String id = operation.getValue().path("operationId").asText("(none)");
                JsonNode referenceOperation = referencePath.path(operation.getKey());
                if (referencePath.isMissingNode()) {
                    differences.add(where + " (" + id + "): LaunchDarkly has no such path");
                } else if (referenceOperation.isMissingNode()) {
                    differences.add(where + " (" + id + "): LaunchDarkly has no such method on this path");
                } else if (!referenceOperation.path("operationId").asText().equals(id)) {
                    differences.add(where + ": operationId " + id + ", LaunchDarkly's is "
                            + referenceOperation.path("operationId").asText());
                }
                Set<String> declared = pathParameters(path.getValue(), operation.getValue());
                Set<String> named = templateParameters(path.getKey());
                if (!declared.equals(named)) {
                    differences.add(where + ": path parameters " + declared + ", the path names " + named);
                }
            }
        }
        return differences;
    }

    /** The operationIds of every operation in the document. */
    static Set<String> operationIds(JsonNode document) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode path : document.path("paths")) {
            for (Map.Entry<String, JsonNode> operation : path.properties()) {
                if (METHODS.contains(operation.getKey())) {
                    ids.add(operation.getValue().path("operationId").asText("(none)"));
                }
            }
        }
        return ids;
    }

    private static Set<String> pathParameters(JsonNode pathItem, JsonNode operation) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode parameters : List.of(pathItem.path("parameters"), operation.path("parameters"))) {
            for (JsonNode parameter : parameters) {
                if ("path".equals(parameter.path("in").asText())) {
                    names.add(parameter.path("name").asText());
                }
            }
        }
        return names;
    }

    private static Set<String> templateParameters(String path) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = TEMPLATE_PARAMETER.matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
