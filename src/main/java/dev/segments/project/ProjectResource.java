package dev.segments.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.web.ApiError;
import dev.segments.web.AppClock;
import dev.segments.web.Ids;
import dev.segments.web.JsonBody;
import dev.segments.web.Keys;
import dev.segments.web.Links;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Projects and their environments: create and get. */
@SecurityRequirement(name = "ApiKey")
@Tag(name = "Projects")
@Path("/api/v2/projects")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectResource {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ProjectStore projects;
    private final AppClock clock;
    private final Ids ids;

    ProjectResource(ProjectStore projects, AppClock clock, Ids ids) {
        this.projects = projects;
        this.clock = clock;
        this.ids = ids;
    }

    @POST
    @Operation(operationId = "postProject", summary = "Create project")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    public Response create(@HeaderParam("Content-Type") String contentType, byte[] body) {
        JsonNode json = JsonBody.object(contentType, body);
        String key = Keys.resource("project", JsonBody.requiredString(json, "key", "The project"));
        String name = name(JsonBody.requiredString(json, "name", "The project"), "The project");
        List<String> tags = JsonBody.stringArray(json, "tags", "The project", false);
        long now = clock.millis();
        List<Environment> environments = new ArrayList<>();
        JsonNode given = json.get("environments");
        if (given != null && !given.isNull()) {
            if (!given.isArray()) {
                throw ApiError.invalid("\"environments\" must be an array of {key, name, color} objects.");
            }
            var seen = new HashSet<String>();
            for (int i = 0; i < given.size(); i++) {
                Environment environment = environment(given.get(i), "Environment " + i, now);
                if (!seen.add(environment.key())) {
                    throw ApiError.invalid("Environment key \"" + environment.key() + "\" appears more than once.");
                }
                environments.add(environment);
            }
        }
        Project project = new Project(ids.get(), key, name, tags, now, environments);
        projects.create(project);
        ObjectNode rep = project(project);
        ArrayNode list = rep.putArray("environments");
        project.environments().forEach(e -> list.add(environment(project.key(), e)));
        return Response.status(201).entity(rep).build();
    }

    @GET
    @Path("{projectKey}")
    @Operation(operationId = "getProject", summary = "Get project")
    public JsonNode get(@PathParam("projectKey") String projectKey) {
        Project project = find(projectKey);
        ObjectNode rep = project(project);
        ObjectNode environments = rep.putObject("environments");
        ArrayNode items = environments.putArray("items");
        project.environments().forEach(e -> items.add(environment(project.key(), e)));
        environments.put("totalCount", project.environments().size());
        environments.set("_links", Links.of("self", "/api/v2/projects/" + project.key() + "/environments"));
        return rep;
    }

    @POST
    @Path("{projectKey}/environments")
    @Tag(name = "Environments")
    @Operation(operationId = "postEnvironment", summary = "Create environment")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    public Response createEnvironment(@PathParam("projectKey") String projectKey,
            @HeaderParam("Content-Type") String contentType, byte[] body) {
        Keys.resource("project", projectKey);
        Environment environment = environment(JsonBody.object(contentType, body), "The environment", clock.millis());
        if (!projects.addEnvironment(projectKey, environment)) {
            throw projectNotFound(projectKey);
        }
        return Response.status(201).entity(environment(projectKey, environment)).build();
    }

    @GET
    @Path("{projectKey}/environments/{environmentKey}")
    @Tag(name = "Environments")
    @Operation(operationId = "getEnvironment", summary = "Get environment")
    public JsonNode getEnvironment(@PathParam("projectKey") String projectKey,
            @PathParam("environmentKey") String environmentKey) {
        Keys.resource("environment", environmentKey);
        Environment environment = find(projectKey).environment(environmentKey).orElseThrow(() -> ApiError.notFound(
                "Environment \"" + environmentKey + "\" not found in project \"" + projectKey + "\"."));
        return environment(projectKey, environment);
    }

    private Project find(String projectKey) {
        Keys.resource("project", projectKey);
        return projects.find(projectKey).orElseThrow(() -> projectNotFound(projectKey));
    }

    private static ApiError projectNotFound(String projectKey) {
        return ApiError.notFound("Project \"" + projectKey + "\" not found. Create it with POST /api/v2/projects.");
    }

    private Environment environment(JsonNode json, String where, long now) {
        if (json == null || !json.isObject()) {
            throw ApiError.invalid(where + " must be a JSON object with key, name and color.");
        }
        String key = Keys.resource("environment", JsonBody.requiredString(json, "key", where));
        String name = name(JsonBody.requiredString(json, "name", where), where);
        String color = JsonBody.requiredString(json, "color", where);
        if (!color.matches("^[0-9A-Fa-f]{6}$")) {
            throw ApiError.invalid(where + ": \"color\" must be six hexadecimal digits, such as \"F5A623\".");
        }
        return new Environment(ids.get(), key, name, color, "sdk-" + UUID.randomUUID(), "mob-" + UUID.randomUUID(), now);
    }

    private static String name(String name, String where) {
        if (name.isBlank() || name.length() > 256) {
            throw ApiError.invalid(where + ": \"name\" must be 1 to 256 characters long.");
        }
        return name;
    }

    private static ObjectNode project(Project project) {
        ObjectNode rep = JSON.objectNode();
        rep.put("_id", project.id());
        rep.put("key", project.key());
        rep.put("name", project.name());
        ArrayNode tags = rep.putArray("tags");
        project.tags().forEach(tags::add);
        rep.put("includeInSnippetByDefault", false);
        rep.set("_links", Links.of("self", "/api/v2/projects/" + project.key(),
                "environments", "/api/v2/projects/" + project.key() + "/environments"));
        return rep;
    }

    private static ObjectNode environment(String projectKey, Environment environment) {
        ObjectNode rep = JSON.objectNode();
        rep.put("_id", environment.id());
        rep.put("key", environment.key());
        rep.put("name", environment.name());
        rep.put("color", environment.color());
        rep.put("apiKey", environment.apiKey());
        rep.put("mobileKey", environment.mobileKey());
        rep.put("defaultTtl", 0);
        rep.put("secureMode", false);
        rep.put("defaultTrackEvents", false);
        rep.put("requireComments", false);
        rep.put("confirmChanges", false);
        rep.put("critical", false);
        rep.putArray("tags");
        rep.set("_links", Links.of("self", "/api/v2/projects/" + projectKey + "/environments/" + environment.key()));
        return rep;
    }
}
