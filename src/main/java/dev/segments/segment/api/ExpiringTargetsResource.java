package dev.segments.segment.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segments.segment.Edit;
import dev.segments.segment.Expiry;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentPatches;
import dev.segments.segment.SegmentPatches.PartialOutcome;
import dev.segments.ops.RequestRecord;
import dev.segments.segment.store.SegmentStore;
import dev.segments.web.AppClock;
import dev.segments.web.Caller;
import dev.segments.web.Ids;
import dev.segments.web.JsonBody;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * A segment's scheduled removals, through LaunchDarkly's two APIs: expiring user targets and
 * expiring (context) targets. Note the paths: the segment key comes before the environment
 * key here, unlike the segment resource itself. The class shares the segment resource's
 * root path so that an unsupported method on these paths is answered 405.
 */
@Path("/api/v2/segments")
@Produces(MediaType.APPLICATION_JSON)
public class ExpiringTargetsResource {

    /** Both views share one template; {@code view} is the path segment that names the API. */
    static final String PATH = "{projectKey}/{segmentKey}/{view: expiring-user-targets|expiring-targets}/{environmentKey}";

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
    @Path(PATH)
    public JsonNode get(@PathParam("projectKey") String projectKey, @PathParam("segmentKey") String segmentKey,
            @PathParam("view") String view, @PathParam("environmentKey") String environmentKey) {
        SegmentKey key = SegmentLocator.key(projectKey, environmentKey, segmentKey);
        var stored = segments.find(key).orElseThrow(() -> locator.segmentNotFound(key));
        return SegmentJson.expiring(Expiry.carryOut(stored, clock.millis()).segment(), ExpiringView.named(view));
    }

    @PATCH
    @Path(PATH)
    public JsonNode patch(@PathParam("projectKey") String projectKey, @PathParam("segmentKey") String segmentKey,
            @PathParam("view") String viewName, @PathParam("environmentKey") String environmentKey,
            @HeaderParam("Content-Type") String contentType, byte[] body) {
        SegmentKey key = SegmentLocator.key(projectKey, environmentKey, segmentKey);
        ExpiringView view = ExpiringView.named(viewName);
        JsonNode json = JsonBody.semanticPatch(contentType, body);
        var instructions = Instructions.expiring(view, JsonBody.instructions(json, Instructions.MAX));
        Edit edit = new Edit(clock.millis(), caller.name(), JsonBody.comment(json), ids);
        PartialOutcome outcome = segments.update(key, stored -> SegmentPatches.expiringTargets(stored, instructions, edit),
                PartialOutcome::revision).orElseThrow(() -> locator.segmentNotFound(key));
        record.instructions(instructions.size(), outcome.errors().size());
        if (outcome.revision().changed()) {
            record.wrote(outcome.revision().segment().version());
        }
        return SegmentJson.expiringPatched(outcome.revision().segment(), view, instructions.size(), outcome.errors());
    }
}
