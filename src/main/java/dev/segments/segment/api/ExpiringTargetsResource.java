package dev.segments.segment.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segments.segment.Edit;
import dev.segments.segment.Expiry;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentLimits;
import dev.segments.segment.SegmentPatches;
import dev.segments.segment.SegmentPatches.PartialOutcome;
import dev.segments.ops.RequestRecord;
import dev.segments.segment.store.SegmentStore;
import dev.segments.web.AppClock;
import dev.segments.web.Caller;
import dev.segments.web.Ids;
import dev.segments.web.JsonAnswer;
import dev.segments.web.JsonBody;
import dev.segments.web.WholeAnswers;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A segment's scheduled removals, through LaunchDarkly's two APIs: expiring user targets and
 * expiring (context) targets. Note the paths: the segment key comes before the environment
 * key here, unlike the segment resource itself. The class shares the segment resource's
 * root path so that an unsupported method on these paths is answered 405.
 * <p>
 * Each LaunchDarkly operation has its own method, path and operationId (so that the OpenAPI
 * document names them as LaunchDarkly does); all of them delegate to one implementation per
 * HTTP method, parameterised by the {@link ExpiringView}.
 */
@SecurityRequirement(name = "ApiKey")
@Tag(name = "Segments")
@Path("/api/v2/segments")
@Produces(MediaType.APPLICATION_JSON)
public class ExpiringTargetsResource {

    static final String USERS_PATH = "{projectKey}/{segmentKey}/expiring-user-targets/{environmentKey}";
    static final String CONTEXTS_PATH = "{projectKey}/{segmentKey}/expiring-targets/{environmentKey}";

    private final SegmentStore segments;
    private final SegmentLocator locator;
    private final AppClock clock;
    private final Caller caller;
    private final Ids ids;
    private final RequestRecord record;

    ExpiringTargetsResource(SegmentStore segments, SegmentLocator locator, AppClock clock, Caller caller, Ids ids,
            RequestRecord record) {
        this.segments = segments;
        this.record = record;
        this.locator = locator;
        this.clock = clock;
        this.caller = caller;
        this.ids = ids;
    }

    @GET
    @Path(USERS_PATH)
    @Operation(operationId = "getExpiringUserTargetsForSegment", summary = "Get expiring user targets for segment")
    public Response getUserTargets(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String environmentKey,
            @PathParam("segmentKey") String segmentKey, @Context HttpHeaders headers) {
        return WholeAnswers.ok(get(SegmentLocator.key(projectKey, environmentKey, segmentKey), ExpiringView.USERS), headers);
    }

    @PATCH
    @Path(USERS_PATH)
    @Operation(operationId = "patchExpiringUserTargetsForSegment", summary = "Update expiring user targets for segment")
    @RequestBody(required = true, content = @Content(mediaType = JsonBody.SEMANTIC_PATCH, schema = @Schema(type = SchemaType.OBJECT)))
    public Response patchUserTargets(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String environmentKey,
            @PathParam("segmentKey") String segmentKey, @HeaderParam("Content-Type") String contentType, @Context HttpHeaders headers,
            byte[] body) {
        return WholeAnswers.ok(patch(SegmentLocator.key(projectKey, environmentKey, segmentKey), ExpiringView.USERS, contentType, body),
                headers);
    }

    @GET
    @Path(CONTEXTS_PATH)
    @Operation(operationId = "getExpiringTargetsForSegment", summary = "Get expiring targets for segment")
    public Response getTargets(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String environmentKey,
            @PathParam("segmentKey") String segmentKey, @Context HttpHeaders headers) {
        return WholeAnswers.ok(get(SegmentLocator.key(projectKey, environmentKey, segmentKey), ExpiringView.CONTEXTS), headers);
    }

    @PATCH
    @Path(CONTEXTS_PATH)
    @Operation(operationId = "patchExpiringTargetsForSegment", summary = "Update expiring targets for segment")
    @RequestBody(required = true, content = @Content(mediaType = JsonBody.SEMANTIC_PATCH, schema = @Schema(type = SchemaType.OBJECT)))
    public Response patchTargets(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String environmentKey,
            @PathParam("segmentKey") String segmentKey, @HeaderParam("Content-Type") String contentType, @Context HttpHeaders headers,
            byte[] body) {
        return WholeAnswers.ok(patch(SegmentLocator.key(projectKey, environmentKey, segmentKey), ExpiringView.CONTEXTS, contentType,
                body), headers);
    }

    private JsonAnswer get(SegmentKey key, ExpiringView view) {
        var stored = segments.find(key).orElseThrow(() -> locator.segmentNotFound(key));
        return ExpiringAnswer.of(Expiry.carryOut(stored, clock.millis()), view);
    }

    private JsonAnswer patch(SegmentKey key, ExpiringView view, String contentType, byte[] body) {
        JsonNode json = JsonBody.semanticPatch(contentType, body);
        var instructions = Instructions.expiring(view, JsonBody.instructions(json, SegmentLimits.MAX_INSTRUCTIONS));
        Edit edit = new Edit(clock.millis(), caller.actor(), JsonBody.comment(json), ids);
        PartialOutcome outcome = segments.update(key, stored -> SegmentPatches.expiringTargets(stored, instructions, edit),
                PartialOutcome::revision).orElseThrow(() -> locator.segmentNotFound(key));
        record.patched(instructions.size(), outcome.errors().size(), outcome.revision());
        return ExpiringAnswer.patched(outcome.revision(), view, instructions.size(), outcome.errors());
    }
}
