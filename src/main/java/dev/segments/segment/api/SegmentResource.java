package dev.segments.segment.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segments.segment.AnswerSize;
import dev.segments.segment.Change;
import dev.segments.segment.Edit;
import dev.segments.segment.Expiry;
import dev.segments.segment.Footprint;
import dev.segments.segment.Revision;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentLimits;
import dev.segments.segment.SegmentPatches;
import dev.segments.segment.SegmentSummary;
import dev.segments.ops.RequestRecord;
import dev.segments.project.LeftoverCleanup;
import dev.segments.segment.store.AlreadyExists;
import dev.segments.segment.store.SegmentStore;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.IntFunction;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Segments: create, list, get, semantic patch or JSON Patch, delete. */
@SecurityRequirement(name = "ApiKey")
@Tag(name = "Segments")
@Path("/api/v2/segments")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentResource {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 50;
    /**
     * What a page's segments may take of its answer: Lambda's limit less room for the response
     * event, headers and the page's links (which repeat the filter). One segment always fits.
     */
    static final long PAGE_BYTES = AnswerSize.LAMBDA_LIMIT - 64 * 1024;

    private final SegmentStore segments;
    private final SegmentLocator locator;
    private final AppClock clock;
    private final Caller caller;
    private final Ids ids;
    private final RequestRecord record;
    private final LeftoverCleanup cleanup;

    SegmentResource(SegmentStore segments, SegmentLocator locator, AppClock clock, Caller caller, Ids ids, RequestRecord record,
            LeftoverCleanup cleanup) {
        this.segments = segments;
        this.cleanup = cleanup;
        this.record = record;
        this.locator = locator;
        this.clock = clock;
        this.caller = caller;
        this.ids = ids;
    }

    @POST
    @Path("{projectKey}/{environmentKey}")
    @Operation(operationId = "postSegment", summary = "Create segment")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    public Response create(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String environmentKey,
            @HeaderParam("Content-Type") String contentType, byte[] body) {
        JsonNode json = JsonBody.object(contentType, body);
        String where = "The segment";
        SegmentKey key = SegmentLocator.key(projectKey, environmentKey, Keys.resource("segment",
                JsonBody.requiredString(json, "key", where)));
        String name = SegmentDetails.name(JsonBody.requiredString(json, "name", where), where);
        String description = SegmentDetails.description(JsonBody.optionalString(json, "description", where), where);
        List<String> tags = SegmentDetails.tags(JsonBody.stringArray(json, "tags", where, false), where);
        if (json.path("unbounded").asBoolean(false)) {
            throw ApiError.invalid("Big (unbounded) segments are not supported; create a standard segment, which holds up to 15,000 targets.");
        }
        locator.requireEnvironment(key.projectKey(), key.environmentKey());
        Segment segment = Segment.create(key, name, description, tags, clock.millis());
        Change creation = Change.creation(segment, caller.actor());
        boolean created;
        try {
            created = segments.create(segment, creation);
        } catch (AlreadyExists exists) {
            // It may be a segment its environment's deleted predecessor left, which the cleanup has yet to remove.
            if (!cleanup.clear(key)) {
                throw exists;
            }
            created = segments.create(segment, creation);
        }
        if (!created) {
            locator.requireEnvironment(key.projectKey(), key.environmentKey());
            throw ApiError.notFound("Environment \"" + key.environmentKey() + "\" was deleted while the segment was being created.");
        }
        return Response.status(201).entity(SegmentJson.segment(segment)).build();
    }

    /**
     * A page of the environment's segments, filtered and sorted. A page also ends before its
     * answer would pass Lambda's response limit: then it holds fewer than {@code limit}
     * segments, and {@code _links.next} continues with the first one left out.
     */
    @GET
    @Path("{projectKey}/{environmentKey}")
    @Operation(operationId = "getSegments", summary = "List segments")
    public JsonNode list(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String environmentKey,
            @QueryParam("limit") String limit, @QueryParam("offset") String offset, @QueryParam("filter") String filter,
            @QueryParam("sort") String sort) {
        Keys.resource("project", projectKey);
        Keys.resource("environment", environmentKey);
        Paging paging = Paging.parse(limit, offset, DEFAULT_LIMIT, MAX_LIMIT);
        Predicate<SegmentSummary> selected = SegmentFilter.parse(filter);
        Comparator<SegmentSummary> order = SegmentSort.parse(sort);
        locator.requireEnvironment(projectKey, environmentKey);
        List<SegmentSummary> all = segments.summaries(projectKey, environmentKey).stream().filter(selected).sorted(order).toList();
        long now = clock.millis();
        List<Segment> page = new ArrayList<>();
        int taken = 0;
        long bytes = 0;
        for (SegmentSummary summary : paging.page(all)) {
            Optional<Segment> stored = segments.find(summary.key());
            if (stored.isPresent()) {
                Segment current = Expiry.carryOut(stored.get(), now).segment();
                long size = Footprint.segmentAnswer(current);
                if (!page.isEmpty() && bytes + size > PAGE_BYTES) {
                    break;
                }
                page.add(current);
                bytes += size;
            }
            taken++;
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("filter", filter);
        query.put("sort", sort);
        String path = SegmentJson.listPath(projectKey, environmentKey);
        return SegmentJson.segments(page, all.size(), paging.links(path, query, all.size(), taken));
    }

    @GET
    @Path("{projectKey}/{environmentKey}/{segmentKey}")
    @Operation(operationId = "getSegment", summary = "Get segment")
    public JsonNode get(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String environmentKey,
            @PathParam("segmentKey") String segmentKey) {
        SegmentKey key = SegmentLocator.key(projectKey, environmentKey, segmentKey);
        Segment stored = segments.find(key).orElseThrow(() -> locator.segmentNotFound(key));
        return SegmentJson.segment(Expiry.carryOut(stored, clock.millis()).segment());
    }

    /**
     * A semantic patch when the Content-Type says {@code domain-model=launchdarkly.semanticpatch},
     * else a JSON Patch; either applies whole or not at all. {@code dryRun=true} answers with the
     * segment as the patch would leave it, and stores nothing.
     */
    @PATCH
    @Path("{projectKey}/{environmentKey}/{segmentKey}")
    @Operation(operationId = "patchSegment", summary = "Patch segment")
    @RequestBody(required = true, content = {
            @Content(mediaType = JsonBody.SEMANTIC_PATCH, schema = @Schema(type = SchemaType.OBJECT)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT))})
    public JsonNode patch(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String environmentKey,
            @PathParam("segmentKey") String segmentKey, @QueryParam("dryRun") String dryRun,
            @HeaderParam("Content-Type") String contentType, byte[] body) {
        SegmentKey key = SegmentLocator.key(projectKey, environmentKey, segmentKey);
        boolean preview = flag("dryRun", dryRun);
        Patch patch = JsonBody.isSemanticPatch(contentType) ? semanticPatch(environmentKey, contentType, body) : jsonPatch(contentType, body);
        try {
            Revision revision;
            if (preview) {
                revision = patch.apply().apply(segments.find(key).orElseThrow(() -> locator.segmentNotFound(key)));
                record.instructions(patch.steps(), 0);
            } else {
                revision = segments.update(key, patch.apply(), Function.identity()).orElseThrow(() -> locator.segmentNotFound(key));
                record.patched(patch.steps(), 0, revision);
            }
            return SegmentJson.segment(revision.segment());
        } catch (SegmentPatches.Refused refused) {
            record.instructions(patch.steps(), 1);
            throw ApiError.invalid(refused.instructionIndex().isPresent()
                    ? patch.describe().apply(refused.instructionIndex().getAsInt()) + " cannot be applied, so nothing was changed: "
                            + refused.getMessage()
                    : refused.getMessage() + " Nothing was changed.");
        }
    }

    /** A parsed segment patch: how many steps, how to apply them to the stored segment, and how messages name step i. */
    private record Patch(int steps, SegmentStore.Mutation<Revision, SegmentPatches.Refused> apply, IntFunction<String> describe) {
    }

    private Patch semanticPatch(String environmentKey, String contentType, byte[] body) {
        JsonNode json = JsonBody.semanticPatch(contentType, body);
        String bodyEnvironment = JsonBody.requiredString(json, "environmentKey", "A segment semantic patch");
        if (!bodyEnvironment.equals(environmentKey)) {
            throw ApiError.invalid("The body's environmentKey \"" + bodyEnvironment + "\" does not match the environment in the path \""
                    + environmentKey + "\".");
        }
        var instructions = Instructions.segment(JsonBody.instructions(json, SegmentLimits.MAX_INSTRUCTIONS));
        Edit edit = new Edit(clock.millis(), caller.actor(), JsonBody.comment(json), ids);
        return new Patch(instructions.size(), stored -> SegmentPatches.segment(stored, instructions, edit), i -> "Instruction " + i);
    }

    private Patch jsonPatch(String contentType, byte[] body) {
        JsonPatch.Body patch = JsonPatch.parse(contentType, body);
        var operations = FieldOperations.of(patch.operations());
        Edit edit = new Edit(clock.millis(), caller.actor(), patch.comment(), ids);
        return new Patch(operations.size(), stored -> SegmentPatches.fields(stored, operations, edit),
                i -> patch.operations().get(i).where());
    }

    private static boolean flag(String name, String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw ApiError.invalid(name + " must be true or false; it was \"" + value + "\".");
    }

    @DELETE
    @Path("{projectKey}/{environmentKey}/{segmentKey}")
    @Operation(operationId = "deleteSegment", summary = "Delete segment")
    @APIResponse(responseCode = "204", description = "No content")
    public Response delete(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String environmentKey,
            @PathParam("segmentKey") String segmentKey) {
        SegmentKey key = SegmentLocator.key(projectKey, environmentKey, segmentKey);
        if (!segments.delete(key, clock.millis(), caller.actor())) {
            throw locator.segmentNotFound(key);
        }
        return Response.noContent().build();
    }
}
