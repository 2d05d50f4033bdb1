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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
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

/** Projects: list, create, get, JSON Patch, delete (with everything in them). */
@SecurityRequirement(name = "ApiKey")
@Tag(name = "Projects")
@Path("/api/v2/projects")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectResource {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private static final Listing<Project> LISTING = new Listing<>(
            Map.of("query", (p, q) -> Listing.contains(p.name(), q) || Listing.contains(p.key(), q),
                    "tags", (p, tags) -> Listing.hasAll(p.tags(), tags),
                    "keys", (p, keys) -> Listing.isOneOf(p.key(), keys)),
            Map.of("name", Comparator.comparing(Project::name, String.CASE_INSENSITIVE_ORDER),
                    "createdOn", Comparator.comparingLong(Project::creationDate)),
            Comparator.comparingLong(Project::creationDate).thenComparing(Project::key));

    private final ProjectStore projects;
    private final Deletions deletions;
    private final AppClock clock;
    private final Caller caller;
    private final Ids ids;

    ProjectResource(ProjectStore projects, Deletions deletions, AppClock clock, Caller caller, Ids ids) {
        this.projects = projects;
        this.deletions = deletions;
        this.clock = clock;
        this.caller = caller;
        this.ids = ids;
    }

    @GET
    @Operation(operationId = "getProjects", summary = "List projects")
    public JsonNode list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
            @QueryParam("filter") String filter, @QueryParam("sort") String sort, @QueryParam("expand") String expand) {
        Paging paging = Paging.parse(limit, offset, DEFAULT_LIMIT, MAX_LIMIT);
        boolean withEnvironments = expandsEnvironments(expand);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("filter", filter);
        query.put("sort", sort);
        query.put("expand", expand);
        return Listing.page(LISTING.select(projects.list(), filter, sort), paging, "/api/v2/projects", query,
                p -> withEnvironments ? ProjectJson.projectExpanded(p) : ProjectJson.project(p));
    }

    @POST
    @Operation(operationId = "postProject", summary = "Create project")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    public Response create(@HeaderParam("Content-Type") String contentType, byte[] body) {
        JsonNode json = JsonBody.object(contentType, body);
        String key = Keys.resource("project", JsonBody.requiredString(json, "key", "The project"));
        String name = ProjectJson.name(json, "The project");
        List<String> tags = ProjectJson.tags(json, "The project");
        long now = clock.millis();
        List<Environment> environments = new ArrayList<>();
        JsonNode given = json.get("environments");
        if (given != null && !given.isNull()) {
            if (!given.isArray()) {
                throw ApiError.invalid("\"environments\" must be an array of {key, name, color} objects.");
            }
            var seen = new HashSet<String>();
            for (int i = 0; i < given.size(); i++) {
                Environment environment = ProjectJson.newEnvironment(given.get(i), "Environment " + i, now, ids);
                if (!seen.add(environment.key())) {
                    throw ApiError.invalid("Environment key \"" + environment.key() + "\" appears more than once.");
                }
                environments.add(environment);
            }
        }
        Project project = new Project(ids.get(), key, name, tags, now, environments, 1);
        projects.create(project);
        return Response.status(201).entity(ProjectJson.projectRep(project)).build();
    }

    /** Always with its environments, which a project has few of; {@code expand} may ask for them explicitly. */
    @GET
    @Path("{projectKey}")
    @Operation(operationId = "getProject", summary = "Get project")
    public JsonNode get(@PathParam("projectKey") String projectKey, @QueryParam("expand") String expand) {
        expandsEnvironments(expand);
        return ProjectJson.projectExpanded(find(projectKey));
    }

    @PATCH
    @Path("{projectKey}")
    @Operation(operationId = "patchProject", summary = "Update project")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY)))
    public JsonNode patch(@PathParam("projectKey") String projectKey, @HeaderParam("Content-Type") String contentType, byte[] body) {
        Keys.resource("project", projectKey);
        List<JsonPatch.Operation> operations = JsonPatch.parse(contentType, body).operations();
        Project patched = projects.update(projectKey, stored -> {
            JsonNode fields = JsonPatch.apply(ProjectJson.fields(stored), operations);
            return stored.with(ProjectJson.name(fields, "The patched project"), ProjectJson.tags(fields, "The patched project"));
        }).orElseThrow(() -> notFound(projectKey));
        return ProjectJson.projectRep(patched);
    }

    /**
     * Deletes the project and, with it, its environments and their segments: at once for every
     * reader, and from the table in bounded steps afterwards ({@link LeftoverCleanup}).
     */
    @DELETE
    @Path("{projectKey}")
    @Operation(operationId = "deleteProject", summary = "Delete project")
    @APIResponse(responseCode = "204", description = "No content")
    public Response delete(@PathParam("projectKey") String projectKey) {
        Keys.resource("project", projectKey);
        if (!deletions.deleteProject(projectKey, clock.millis(), caller.actor())) {
            throw notFound(projectKey);
        }
        return Response.noContent().build();
    }

    private Project find(String projectKey) {
        Keys.resource("project", projectKey);
        return projects.find(projectKey).orElseThrow(() -> notFound(projectKey));
    }

    static ApiError notFound(String projectKey) {
        return ApiError.notFound("Project \"" + projectKey + "\" not found. Create it with POST /api/v2/projects.");
    }

    private static boolean expandsEnvironments(String expand) {
        boolean environments = false;
        if (expand != null && !expand.isBlank()) {
            for (String field : expand.split(",")) {
                if (!field.strip().equals("environments")) {
                    throw ApiError.invalid("expand supports only \"environments\", not \"" + field.strip() + "\".");
                }
                environments = true;
            }
        }
        return environments;
    }
}
