package dev.segments.expiry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.web.Unauthenticated;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The deployed sweeper's entry point. The once-a-minute schedule invokes the function with a
 * fixed HTTP-API event for this path ({@code src/main/resources/sweep-event.json}), so one
 * function artifact serves API Gateway and the schedule. Sweeping is idempotent and reveals
 * nothing, and API Gateway never routes this path, so it takes no token.
 */
@Path("/internal/sweep")
@Produces(MediaType.APPLICATION_JSON)
public class SweepResource {

    private final Sweeper sweeper;

    SweepResource(Sweeper sweeper) {
        this.sweeper = sweeper;
    }

    @POST
    @Unauthenticated
    // Not part of the public API (API Gateway never routes it) nor of LaunchDarkly's, so not in the OpenAPI document.
    @Operation(hidden = true)
    public ObjectNode sweep() {
        Sweeper.Result result = sweeper.sweep();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("expired", result.expired());
        body.put("segments", result.segments());
        body.put("maxLagMillis", result.maxLagMillis());
        body.put("chunksRetired", result.chunksRetired());
        body.put("left", result.left());
        return body;
    }
}
