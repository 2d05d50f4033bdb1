package dev.segments.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.web.ApiError;
import dev.segments.web.JsonBody;
import dev.segments.web.Keys;
import dev.segments.web.Links;
import dev.segments.web.Tags;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Projects and environments as LaunchDarkly's API represents them, and their fields read from
 * a request body or from a patched document of their patchable fields.
 */
final class ProjectJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_NAME = 256;

    private ProjectJson() {
    }

    static String projectPath(String projectKey) {
        return "/api/v2/projects/" + projectKey;
    }

    static String environmentsPath(String projectKey) {
        return projectPath(projectKey) + "/environments";
    }

    /** {@code Project} without environments: what a list shows unless asked to expand them. */
    static ObjectNode project(Project project) {
        ObjectNode rep = JSON.objectNode();
        rep.put("_id", project.id());
        rep.put("key", project.key());
        rep.put("name", project.name());
        strings(rep.putArray("tags"), project.tags());
        rep.put("includeInSnippetByDefault", false);
        rep.set("_links", Links.of("self", projectPath(project.key()), "environments", environmentsPath(project.key())));
        return rep;
    }

    /** {@code ProjectRep}: the project with its environments as an array (create and patch). */
    static ObjectNode projectRep(Project project) {
        ObjectNode rep = project(project);
        ArrayNode list = rep.putArray("environments");
        project.environments().forEach(e -> list.add(environment(project.key(), e)));
        return rep;
    }

    /** {@code Project} with its environments as a collection (get, and a list with {@code expand=environments}). */
    static ObjectNode projectExpanded(Project project) {
        ObjectNode rep = project(project);
        ObjectNode environments = rep.putObject("environments");
        ArrayNode items = environments.putArray("items");
        project.environments().forEach(e -> items.add(environment(project.key(), e)));
        environments.put("totalCount", project.environments().size());
        environments.set("_links", Links.of("self", environmentsPath(project.key())));
        return rep;
    }

    static ObjectNode environment(String projectKey, Environment environment) {
        Environment.Settings settings = environment.settings();
        ObjectNode rep = JSON.objectNode();
        rep.put("_id", environment.id());
        rep.put("key", environment.key());
        rep.put("name", environment.name());
        rep.put("color", environment.color());
        rep.put("apiKey", environment.apiKey());
        rep.put("mobileKey", environment.mobileKey());
        rep.put("defaultTtl", settings.defaultTtl());
        rep.put("secureMode", settings.secureMode());
        rep.put("defaultTrackEvents", settings.defaultTrackEvents());
        rep.put("requireComments", settings.requireComments());
        rep.put("confirmChanges", settings.confirmChanges());
        rep.put("critical", settings.critical());
        strings(rep.putArray("tags"), environment.tags());
        rep.set("_links", Links.of("self", environmentsPath(projectKey) + "/" + environment.key()));
        return rep;
    }

    /** What a JSON Patch of a project may change. */
    static ObjectNode fields(Project project) {
        ObjectNode fields = JSON.objectNode();
        fields.put("name", project.name());
        strings(fields.putArray("tags"), project.tags());
        return fields;
    }

    /** What a JSON Patch of an environment may change. */
    static ObjectNode fields(Environment environment) {
        ObjectNode fields = environment(environment.key(), environment);
        fields.retain("name", "color", "tags", "defaultTtl", "secureMode", "defaultTrackEvents", "requireComments",
                "confirmChanges", "critical");
        return fields;
    }

    static String name(JsonNode json, String where) {
        String name = JsonBody.requiredString(json, "name", where);
        if (name.isBlank() || name.length() > MAX_NAME) {
            throw ApiError.invalid(where + ": \"name\" must be 1 to " + MAX_NAME + " characters long.");
        }
        return name;
    }

    static List<String> tags(JsonNode json, String where) {
        return Tags.check(JsonBody.stringArray(json, "tags", where, false), where);
    }

    /** A new environment from a create request's JSON (its own, or one of a new project's). */
    static Environment newEnvironment(JsonNode json, String where, long now, Supplier<String> ids) {
        if (json == null || !json.isObject()) {
            throw ApiError.invalid(where + " must be a JSON object with key, name and color.");
        }
        if (json.hasNonNull("source")) {
            throw ApiError.invalid(where + ": copying an environment (\"source\") is not supported; create it empty and add segments.");
        }
        String key = Keys.resource("environment", JsonBody.requiredString(json, "key", where));
        return new Environment(ids.get(), key, name(json, where), color(json, where), tags(json, where), settings(json, where),
                "sdk-" + UUID.randomUUID(), "mob-" + UUID.randomUUID(), now);
    }

    /** An environment with the fields of a patched document. */
    static Environment patched(Environment environment, JsonNode fields) {
        String where = "The patched environment";
        return environment.with(name(fields, where), color(fields, where), tags(fields, where), settings(fields, where));
    }

    private static String color(JsonNode json, String where) {
        String color = JsonBody.requiredString(json, "color", where);
        if (!color.matches("^[0-9A-Fa-f]{6}$")) {
            throw ApiError.invalid(where + ": \"color\" must be six hexadecimal digits, such as \"F5A623\".");
        }
        return color;
    }

    private static Environment.Settings settings(JsonNode json, String where) {
        long defaultTtl = json.hasNonNull("defaultTtl") ? JsonBody.requiredLong(json, "defaultTtl", where) : 0;
        if (defaultTtl < 0) {
            throw ApiError.invalid(where + ": \"defaultTtl\" must be 0 or more minutes.");
        }
        return new Environment.Settings(defaultTtl, flag(json, "secureMode", where), flag(json, "defaultTrackEvents", where),
                flag(json, "requireComments", where), flag(json, "confirmChanges", where), flag(json, "critical", where));
    }

    private static boolean flag(JsonNode json, String field, String where) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiError.invalid(where + ": \"" + field + "\" must be true or false, not "
                    + value.getNodeType().name().toLowerCase(Locale.ROOT) + ".");
        }
        return value.booleanValue();
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
