package dev.segments.web;

import dev.segments.ratelimit.RateLimiter;
import dev.segments.token.Role;
import dev.segments.token.TokenSecrets;
import dev.segments.token.TokenStore;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Authenticates every request before anything else runs, then checks the role against the
 * method and path: readers only read, token management needs an admin. The token itself is
 * never logged or kept; only its hash is compared. Refusals (401 and 403) count against the
 * source address (API Gateway's {@code sourceIp}); an address over its limit is answered 429
 * until the window ends, before its token is looked up.
 */
public class Authentication {

    static final String BOOTSTRAP_ID = "bootstrap";
    /** The bootstrap token's name in the audit log; no created token may take it. */
    public static final String BOOTSTRAP_NAME = "bootstrap admin";

    @Inject
    TokenStore tokens;

    @Inject
    Caller caller;

    @Inject
    RateLimiter rateLimiter;

    @Inject
    AppClock clock;

    private static final String RATE_REMAINING = "segments.rate.remaining";
    private static final String RATE_RESET = "segments.rate.reset";

    /** The hash of the bootstrap admin token, if one is configured: computed once, not per request. */
    private final Optional<String> bootstrapHash;

    Authentication(@ConfigProperty(name = "segments.bootstrap-admin-token") Optional<String> bootstrapToken) {
        this.bootstrapHash = bootstrapToken.filter(b -> !b.isBlank()).map(TokenSecrets::hash);
    }

    @ServerRequestFilter(priority = 100)
    public void authenticate(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        if (resource.getResourceMethod() != null && resource.getResourceMethod().isAnnotationPresent(Unauthenticated.class)) {
            return;
        }
        if (!rateLimiter.limitsFailures()) {
            identify(request);
        } else {
            String address = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
            long now = clock.millis();
            Optional<Long> blocked = rateLimiter.blocked(address, now);
            if (blocked.isPresent()) {
                throw tooManyFailures(blocked.get(), now);
            }
            try {
                identify(request);
            } catch (ApiError refused) {
                RateLimiter.Verdict verdict = rateLimiter.failed(address, now);
                throw verdict.allowed() ? refused : tooManyFailures(verdict.resetMillis(), now);
            }
        }
        if (rateLimiter.enabled()) {
            limit(request, resource);
        }
    }

    /** The caller from its token, and whether its role allows the request: 401 or 403 if not. */
    private void identify(ContainerRequestContext request) {
        String secret = secret(request.getHeaderString("Authorization"));
        String hash = TokenSecrets.hash(secret);
        if (bootstrapHash.map(b -> TokenSecrets.sameHash(hash, b)).orElse(false)) {
            caller.set(BOOTSTRAP_ID, BOOTSTRAP_NAME, Role.ADMIN);
        } else {
            var token = tokens.findByHash(hash)
                    .filter(t -> TokenSecrets.sameHash(t.hash(), hash))
                    .orElseThrow(() -> ApiError.unauthorized(
                            "The access token is not valid: it is unknown or was deleted. Create a token and send it in the Authorization header."));
            caller.set(token.id(), token.name(), token.role());
        }
        Role needed = needed(request.getMethod(), request.getUriInfo().getPath());
        if (!caller.role().atLeast(needed)) {
            throw ApiError.forbidden("This token's role (" + caller.role().wire() + ") does not allow this request; it needs a "
                    + needed.wire() + " token.");
        }
    }

    private static RateLimited tooManyFailures(long resetMillis, long now) {
        long retryAfter = retryAfter(resetMillis, now);
        return new RateLimited("Too many requests from your address were refused with 401 or 403 in this minute. Check the token,"
                + " and try again in " + retryAfter + " s.", resetMillis, retryAfter);
    }

    private static long retryAfter(long resetMillis, long now) {
        return Math.max(1, (resetMillis - now + 999) / 1000);
    }

    /** Counts the request against its token's limit on this route; 429 with LaunchDarkly's headers over it. */
    private void limit(ContainerRequestContext request, ResourceInfo resource) {
        String route = request.getMethod() + ":" + resource.getResourceClass().getSimpleName() + "." + resource.getResourceMethod().getName();
        long now = clock.millis();
        RateLimiter.Verdict verdict = rateLimiter.hit(caller.id(), route, now);
        request.setProperty(RATE_REMAINING, verdict.remaining());
        request.setProperty(RATE_RESET, verdict.resetMillis());
        if (!verdict.allowed()) {
            long retryAfter = retryAfter(verdict.resetMillis(), now);
            throw new RateLimited("You've exceeded this token's rate limit on this route. Try again in " + retryAfter + " s.",
                    verdict.resetMillis(), retryAfter);
        }
    }

    /** Every answer to a rate-limited request tells the caller where it stands. */
    @ServerResponseFilter
    public void rateHeaders(ContainerRequestContext request, ContainerResponseContext response) {
        Object remaining = request.getProperty(RATE_REMAINING);
        if (remaining != null) {
            response.getHeaders().putSingle("X-Ratelimit-Route-Remaining", remaining);
            response.getHeaders().putSingle("X-Ratelimit-Reset", request.getProperty(RATE_RESET));
        }
    }

    private static String secret(String header) {
        if (header == null || header.isBlank()) {
            throw ApiError.unauthorized("No access token: send one in the Authorization header.");
        }
        String secret = header.strip();
        if (secret.regionMatches(true, 0, "Bearer ", 0, 7)) {
            secret = secret.substring(7).strip();
        }
        if (secret.isEmpty() || secret.length() > 200) {
            throw ApiError.unauthorized("The Authorization header does not hold an access token.");
        }
        return secret;
    }

    private static Role needed(String method, String path) {
        if (path.startsWith("/api/v2/tokens")) {
            return Role.ADMIN;
        }
        return "GET".equals(method) || "HEAD".equals(method) ? Role.READER : Role.WRITER;
    }
}
