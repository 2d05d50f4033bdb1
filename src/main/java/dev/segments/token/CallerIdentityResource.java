package dev.segments.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.audit.AuditJson;
import dev.segments.web.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * LaunchDarkly's {@code getCallerIdentity}: which token is calling, and what it may do. Every
 * token may ask, readers included, so a client (the console) learns its role without trying a
 * write. The role travels in LaunchDarkly's own {@code scopes} field (where LaunchDarkly names an
 * OAuth token's {@code reader} or {@code writer} scope), not in a field of our own: generated
 * clients that refuse unknown fields would fail on one.
 */
@SecurityRequirement(name = "ApiKey")
@Tag(name = "Other")
@Path("/api/v2/caller-identity")
@Produces(MediaType.APPLICATION_JSON)
public class CallerIdentityResource {

    private final Caller caller;

    CallerIdentityResource(Caller caller) {
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "getCallerIdentity", summary = "Identify the caller",
            description = "The calling token's id and name; scopes holds its role: reader, writer or admin.")
    public JsonNode get() {
        ObjectNode rep = JsonNodeFactory.instance.objectNode();
        rep.put("accountId", AuditJson.ACCOUNT_ID);
        rep.put("authKind", "token");
        rep.put("tokenKind", "service");
        rep.put("serviceToken", true);
        rep.put("tokenId", caller.id());
        rep.put("tokenName", caller.name());
        rep.putArray("scopes").add(caller.role().wire());
        return rep;
    }
}
