package dev.segments.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.audit.AuditJson;
import dev.segments.ops.Deadlines;
import dev.segments.segment.Change;
import dev.segments.segment.store.WriteConflict;
import dev.segments.web.ApiError;
import dev.segments.web.AppClock;
import dev.segments.web.Authentication;
import dev.segments.web.Caller;
import dev.segments.web.Ids;
import dev.segments.web.JsonBody;
import dev.segments.web.JsonPatch;
import dev.segments.web.Links;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Access tokens: the secret is shown once, on creation; afterwards only its last four characters. */
@SecurityRequirement(name = "ApiKey")
@Tag(name = "Access tokens")
@Path("/api/v2/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    /** Names the service itself appears under in the audit log, compared without case or surrounding blanks. */
    static final Set<String> RESERVED_NAMES = Set.of(Change.SERVICE.name(), AuditJson.SERVICE_NAME, Authentication.BOOTSTRAP_NAME)
            .stream().map(TokenResource::normalised).collect(Collectors.toUnmodifiableSet());

    /** Attempts of a patch that loses races to other changes of the same token. */
    static final int MAX_ATTEMPTS = 5;

    private final TokenStore tokens;
    private final AppClock clock;
    private final Caller caller;
    private final Ids ids;
    private final Deadlines deadlines;

    TokenResource(TokenStore tokens, AppClock clock, Caller caller, Ids ids, Deadlines deadlines) {
        this.tokens = tokens;
        this.clock = clock;
        this.caller = caller;
        this.ids = ids;
        this.deadlines = deadlines;
    }

    @POST
    @Operation(operationId = "postToken", summary = "Create access token")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    public Response create(@HeaderParam("Content-Type") String contentType, byte[] body) {
        JsonNode json = JsonBody.object(contentType, body);
        String name = name(json);
        String roleName = JsonBody.optionalString(json, "role", "The token");
        Role role = role(roleName == null ? "reader" : roleName);
        String secret = TokenSecrets.generate();
        long now = clock.millis();
        AccessToken token = new AccessToken(ids.get(), name, role,
                TokenSecrets.hash(secret), secret.substring(secret.length() - 4), now, now, caller.id());
        tokens.create(token);
        ObjectNode rep = representation(token);
        rep.put("token", secret);
        return Response.status(201).entity(rep).build();
    }

    @GET
    @Operation(operationId = "getTokens", summary = "List access tokens")
    public JsonNode list() {
        ObjectNode rep = JsonNodeFactory.instance.objectNode();
        ArrayNode items = rep.putArray("items");
        var all = tokens.list();
        all.forEach(t -> items.add(representation(t)));
        rep.put("totalCount", all.size());
        rep.set("_links", Links.of("self", "/api/v2/tokens"));
        return rep;
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getToken", summary = "Get access token")
    public JsonNode get(@PathParam("id") String id) {
        return representation(tokens.find(id).orElseThrow(() -> notFound(id)));
    }

    /** JSON Patch of {@code /name} and {@code /role}; a new role applies from the token's next request. */
    @PATCH
    @Path("{id}")
    @Operation(operationId = "patchToken", summary = "Patch access token")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY)))
    public JsonNode patch(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType, byte[] body) {
        List<JsonPatch.Operation> operations = JsonPatch.parse(contentType, body).operations();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            AccessToken token = tokens.find(id).orElseThrow(() -> notFound(id));
            ObjectNode fields = JsonNodeFactory.instance.objectNode().put("name", token.name()).put("role", token.role().wire());
            JsonNode patched = JsonPatch.apply(fields, operations);
            AccessToken changed = token.with(name(patched), role(JsonBody.requiredString(patched, "role", "The patched token")),
                    clock.millis());
            if (changed.name().equals(token.name()) && changed.role() == token.role()) {
                return representation(token);
            }
            if (tokens.update(token, changed)) {
                return representation(changed);
            }
            deadlines.current().pause(attempt);
        }
        throw new WriteConflict("The access token \"" + id + "\" kept changing under concurrent requests; nothing was changed. Try again.");
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteToken", summary = "Delete access token")
    @APIResponse(responseCode = "204", description = "No content")
    public Response delete(@PathParam("id") String id) {
        if (!tokens.delete(id)) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    private static String normalised(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    private static ApiError notFound(String id) {
        return ApiError.notFound("Access token \"" + id + "\" not found.");
    }

    private static String name(JsonNode json) {
        String name = JsonBody.requiredString(json, "name", "The token");
        if (name.isBlank() || name.length() > 256) {
            throw ApiError.invalid("The token's \"name\" must be 1 to 256 characters long.");
        }
        if (RESERVED_NAMES.contains(normalised(name))) {
            throw ApiError.invalid("The token name \"" + name.strip() + "\" is reserved: the audit log names the service itself so. Choose another name.");
        }
        return name;
    }

    private static Role role(String wire) {
        return Role.fromWire(wire).orElseThrow(() -> ApiError.invalid(
                "The token's \"role\" must be \"reader\", \"writer\" or \"admin\", not \"" + wire + "\"."));
    }

    private static ObjectNode representation(AccessToken token) {
        ObjectNode rep = JsonNodeFactory.instance.objectNode();
        rep.put("_id", token.id());
        rep.put("name", token.name());
        rep.put("role", token.role().wire());
        rep.put("token", token.lastFour());
        rep.put("creationDate", token.creationDate());
        rep.put("lastModified", token.lastModified());
        rep.put("ownerId", token.ownerId());
        rep.put("memberId", token.ownerId());
        rep.put("serviceToken", true);
        rep.set("_links", Links.of("self", "/api/v2/tokens/" + token.id(), "parent", "/api/v2/tokens"));
        return rep;
    }
}
