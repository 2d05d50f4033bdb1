package dev.segments.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segments.segment.store.AuditEntry;
import dev.segments.segment.store.AuditTrail;
import dev.segments.web.ApiError;
import dev.segments.web.AppClock;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Predicate;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * LaunchDarkly's audit log for segments: every change, newest first, with who made it, when,
 * what it did, its comment and the version it produced.
 */
@SecurityRequirement(name = "ApiKey")
@Tag(name = "Audit log")
@Path(AuditJson.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class AuditLogResource {

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 20;

    private final AuditTrail trail;
    private final AppClock clock;

    AuditLogResource(AuditTrail trail, AppClock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    /**
     * {@code before} and {@code after} are epoch milliseconds (exclusive); {@code cursor}, which
     * {@code _links.next} carries, continues a listing below the last entry of a page.
     */
    @GET
    @Operation(operationId = "getAuditLogEntries", summary = "List audit log entries")
    public JsonNode list(@QueryParam("spec") String spec, @QueryParam("q") String q, @QueryParam("before") String before,
            @QueryParam("after") String after, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        ResourceSpec resources = ResourceSpec.parse(spec);
        int size = limit == null ? DEFAULT_LIMIT : (int) number("limit", limit);
        if (size < 1 || size > MAX_LIMIT) {
            throw ApiError.invalid("limit must be between 1 and " + MAX_LIMIT + "; it was " + limit + ".");
        }
        String below = cursor != null
                ? AuditEntry.sortKeyOf(cursor).orElseThrow(() -> ApiError.invalid("The cursor \"" + cursor + "\" is not one this audit log gave out."))
                : before != null ? AuditEntry.timeBound(number("before", before)) : "~";
        String from = after != null ? AuditEntry.timeBound(number("after", after) + 1) : "";
        Predicate<AuditEntry> filter = entry -> resources.matches(entry.segment()) && mentions(entry, q);
        AuditTrail.Page page = trail.page(resources.exact(), resources::matches, from, below, filter, size, clock.millis());

        StringJoiner query = new StringJoiner("&", AuditJson.PATH + "?", "");
        query.add("limit=" + size);
        add(query, "spec", spec);
        add(query, "q", q);
        add(query, "after", after);
        String self = query + (cursor != null ? "&cursor=" + encode(cursor) : before != null ? "&before=" + encode(before) : "");
        String next = page.resumeBelow().map(sortKey -> query + "&cursor=" + encode(AuditEntry.idOf(sortKey))).orElse(null);
        return AuditJson.collection(page.entries(), self, next);
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getAuditLogEntry", summary = "Get audit log entry")
    public JsonNode get(@PathParam("id") String id) {
        return trail.find(id, clock.millis()).map(AuditJson::detail)
                .orElseThrow(() -> ApiError.notFound("No audit log entry has the id \"" + id + "\"."));
    }

    private static boolean mentions(AuditEntry entry, String q) {
        if (q == null || q.isBlank()) {
            return true;
        }
        String needle = q.toLowerCase(Locale.ROOT);
        return entry.segment().key().toLowerCase(Locale.ROOT).contains(needle)
                || (entry.change().comment() != null && entry.change().comment().toLowerCase(Locale.ROOT).contains(needle))
                || entry.change().effects().stream().anyMatch(effect -> effect.toLowerCase(Locale.ROOT).contains(needle));
    }

    private static long number(String name, String value) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiError.invalid(name + " must be a non-negative whole number" + (name.equals("limit") ? "" : " of epoch milliseconds")
                + "; it was \"" + value + "\".");
    }

    private static void add(StringJoiner query, String name, String value) {
        if (value != null) {
            query.add(name + "=" + encode(value));
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
