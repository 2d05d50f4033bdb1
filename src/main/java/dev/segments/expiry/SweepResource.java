package dev.segments.expiry;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.project.LeftoverCleanup;
import dev.segments.web.Unauthenticated;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The deployed sweeper's entry point; each invocation also runs one bounded step of the
 * cleanup of deleted environments and projects ({@link LeftoverCleanup}), with what the
 * invocation's deadline leaves after the sweep (both take it from the request). The once-a-minute
 * schedule invokes the function with a fixed HTTP-API event for this path ({@code src/main/resources/sweep-event.json}), so one
 * function artifact serves API Gateway and the schedule. Sweeping is idempotent and reveals
 * nothing, so it takes no token; it answers only the schedule's event, which unlike every event
 * API Gateway sends has no {@code requestContext.apiId}, so the public API cannot reach it
 * whatever path it was given (and {@link dev.segments.web.DotSegments} refuses the paths that
 * would try).
 */
@Path("/internal/sweep")
@Produces(MediaType.APPLICATION_JSON)
public class SweepResource {

    private final Sweeper sweeper;
    private final LeftoverCleanup cleanup;
    private final Instance<APIGatewayV2HTTPEvent.RequestContext> event;

    SweepResource(Sweeper sweeper, LeftoverCleanup cleanup, Instance<APIGatewayV2HTTPEvent.RequestContext> event) {
        this.sweeper = sweeper;
        this.cleanup = cleanup;
        this.event = event;
    }

    @POST
    @Unauthenticated
    // Not part of the public API (API Gateway never routes it) nor of LaunchDarkly's, so not in the OpenAPI document.
    @Operation(hidden = true)
    public ObjectNode sweep() {
        if (throughApiGateway()) {
            throw new NotFoundException();
        }
        Sweeper.Result result = sweeper.sweep();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("expired", result.expired());
        body.put("segments", result.segments());
        body.put("maxLagMillis", result.maxLagMillis());
        body.put("chunksRetired", result.chunksRetired());
        body.put("left", result.left());
        LeftoverCleanup.Result cleaned = cleanup.run();
        body.put("leftoversDeleted", cleaned.deleted());
        body.put("deletionsPending", cleaned.pending());
        return body;
    }

    /** True unless the request came as a Lambda event without an API Gateway id, as the schedule's does. */
    private boolean throughApiGateway() {
        try {
            return event.get().getApiId() != null;
        } catch (RuntimeException noLambdaEvent) {
            return true;
        }
    }
}
