package dev.segments.segment.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segments.segment.Edit;
import dev.segments.segment.Expiry;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentPatches;
import dev.segments.segment.SegmentPatches.PartialOutcome;
import dev.segments.segment.store.SegmentStore;
import dev.segments.web.AppClock;
import dev.segments.web.Caller;
import dev.segments.web.JsonBody;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The expiring user targets of a segment. Note the path: the segment key comes before the
 * environment key here, unlike the segment resource itself.
 */
@Path("/api/v2/segments")
@Produces(MediaType.APPLICATION_JSON)
public class ExpiringUserTargetsResource {

    static final String PATH = "{projectKey}/{segmentKey}/expiring-user-targets/{environmentKey}";

    private final SegmentStore segments;
    private final SegmentLocator locator;
    private final AppClock clock;
    private final Caller caller;

    ExpiringUserTargetsResource(SegmentStore segments, SegmentLocator locator, AppClock clock, Caller caller) {
        this.segments = segments;
        this.locator = locator;
        this.clock = clock;
        this.caller = caller;
    }

    @GET
    @Path(PATH)
    public JsonNode get(@PathParam("projectKey") String projectKey, @PathParam("segmentKey") String segmentKey,
            @PathParam("environmentKey") String environmentKey) {
        SegmentKey key = SegmentLocator.key(projectKey, environmentKey, segmentKey);
        var stored = segments.find(key).orElseThrow(() -> locator.segmentNotFound(key));
        return SegmentJson.expiringUserTargets(Expiry.carryOut(stored, clock.millis()).segment());
    }

    @PATCH
    @Path(PATH)
    public JsonNode patch(@PathParam("projectKey") String projectKey, @PathParam("segmentKey") String segmentKey,
            @PathParam("environmentKey") String environmentKey, @HeaderParam("Content-Type") String contentType, byte[] body) {
        SegmentKey key = SegmentLocator.key(projectKey, environmentKey, segmentKey);
        JsonNode json = JsonBody.semanticPatch(contentType, body);
        var instructions = Instructions.expiringUserTargets(JsonBody.instructions(json, Instructions.MAX));
        Edit edit = new Edit(clock.millis(), caller.name(), JsonBody.comment(json), ScheduleIds.INSTANCE);
        PartialOutcome outcome = segments.update(key, stored -> SegmentPatches.expiringTargets(stored, instructions, edit),
                PartialOutcome::revision).orElseThrow(() -> locator.segmentNotFound(key));
        return SegmentJson.expiringUserTargetsPatched(outcome.revision().segment(), instructions.size(), outcome.errors());
    }
}
