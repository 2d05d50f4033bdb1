package dev.segments.project;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segments.web.ApiError;
import dev.segments.web.AppClock;
import dev.segments.web.Caller;
import dev.segments.web.Ids;
import dev.segments.web.JsonBody;
import dev.segments.web.JsonPatch;
import dev.segments.web.Keys;
import dev.segments.web.Paging;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A project's environments: list, create, get, JSON Patch, delete (with their segments). It
 * shares the project resource's root path, so that an unsupported method is answered 405.
 */
@SecurityRequirement(name = "ApiKey")
@Tag(name = "Environments")
@Path("/api/v2/projects")
@Produces(MediaType.APPLICATION_JSON)
public class EnvironmentResource {

    static final String LIST_PATH = "{projectKey}/environments";
    static final String ONE_PATH = "{projectKey}/environments/{environmentKey}";

    private static final Listing<Environment> LISTING = new Listing<>(
            Map.of("query", (e, q) -> Listing.contains(e.name(), q) || Listing.contains(e.key(), q),
                    "tags", (e, tags) -> Listing.hasAll(e.tags(), tags)),
            Map.of("name", Comparator.comparing(Environment::name, String.CASE_INSENSITIVE_ORDER),
                    "createdOn", Comparator.comparingLong(Environment::creationDate),
                    "critical", Comparator.comparing(e -> e.settings().critical())),
            Comparator.comparingLong(Environment::creationDate).thenComparing(Environment::key));

    private final ProjectStore projects;
    private final Deletions deletions;
    private final AppClock clock;
    private final Caller caller;
    private final Ids ids;

    EnvironmentResource(ProjectStore projects, Deletions deletions, AppClock clock, Caller caller, Ids ids) {
        this.projects = projects;
        this.deletions = deletions;
        this.clock = clock;
        this.caller = caller;
        this.ids = ids;
    }

    @GET
    @Path(LIST_PATH)
    @Operation(operationId = "getEnvironmentsByProject", summary = "List environments")
    public JsonNode list(@PathParam("projectKey") String projectKey, @QueryParam("limit") String limit,
            @QueryParam("offset") String offset, @QueryParam("filter") String filter, @QueryParam("sort") String sort) {
        Paging paging = Paging.parse(limit, offset, ProjectResource.DEFAULT_LIMIT, ProjectResource.MAX_LIMIT);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("filter", filter);
        query.put("sort", sort);
        return Listing.page(LISTING.select(project(projectKey).environments(), filter, sort), paging,
                ProjectJson.environmentsPath(projectKey), query, e -> ProjectJson.environment(projectKey, e));
    }

    @POST
    @Path(LIST_PATH)
    @Operation(operationId = "postEnvironment", summary = "Create environment")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    public Response create(@PathParam("projectKey") String projectKey, @HeaderParam("Content-Type") String contentType, byte[] body) {
        Keys.resource("project", projectKey);
        Environment environment = ProjectJson.newEnvironment(JsonBody.object(contentType, body), "The environment", clock.millis(), ids);
        if (!projects.addEnvironment(projectKey, environment)) {
            throw ProjectResource.notFound(projectKey);
        }
        return Response.status(201).entity(ProjectJson.environment(projectKey, environment)).build();
    }

    @GET
    @Path(ONE_PATH)
    @Operation(operationId = "getEnvironment", summary = "Get environment")
    public JsonNode get(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String environmentKey) {
        Keys.resource("environment", environmentKey);
        return ProjectJson.environment(projectKey, environment(project(projectKey), environmentKey));
    }

    @PATCH
    @Path(ONE_PATH)
    @Operation(operationId = "patchEnvironment", summary = "Update environment")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY)))
    public JsonNode patch(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String environmentKey,
            @HeaderParam("Content-Type") String contentType, byte[] body) {
        Keys.resource("project", projectKey);
        Keys.resource("environment", environmentKey);
        List<JsonPatch.Operation> operations = JsonPatch.parse(contentType, body).operations();
        Project patched = projects.update(projectKey, stored -> {
            Environment environment = environment(stored, environmentKey);
            return stored.withEnvironment(ProjectJson.patched(environment, JsonPatch.apply(ProjectJson.fields(environment), operations)));
        }).orElseThrow(() -> ProjectResource.notFound(projectKey));
        return ProjectJson.environment(projectKey, environment(patched, environmentKey));
    }

    /**
     * Deletes the environment and, with it, its segments: at once for every reader, and from
     * the table in bounded steps afterwards ({@link LeftoverCleanup}).
     */
    @DELETE
    @Path(ONE_PATH)
    @Operation(operationId = "deleteEnvironment", summary = "Delete environment")
    @APIResponse(responseCode = "204", description = "No content")
    public Response delete(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String environmentKey) {
        Keys.resource("environment", environmentKey);
        Project project = project(projectKey);
        if (!deletions.deleteEnvironment(projectKey, environmentKey, clock.millis(), caller.actor())) {
            throw environmentNotFound(project.key(), environmentKey);
        }
        return Response.noContent().build();
    }

    private Project project(String projectKey) {
        Keys.resource("project", projectKey);
        return projects.find(projectKey).orElseThrow(() -> ProjectResource.notFound(projectKey));
    }

    private static Environment environment(Project project, String environmentKey) {
        return project.environment(environmentKey).orElseThrow(() -> environmentNotFound(project.key(), environmentKey));
    }

    private static ApiError environmentNotFound(String projectKey, String environmentKey) {
        return ApiError.notFound("Environment \"" + environmentKey + "\" not found in project \"" + projectKey + "\".");
    }
}
