package dev.segments.web;

import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses paths with dot segments ({@code .} or {@code ..}, plain or percent-encoded) before
 * routing. The router resolves them after API Gateway matched {@code /api/v2/...}, so
 * {@code /api/v2/%2e%2e/%2e%2e/internal/sweep} would otherwise reach a route API Gateway never
 * exposes; no path of this API has a dot segment, so nothing legitimate is refused.
 */
public class DotSegments {

    /** After the request line's clock starts (priority 1), before authentication (100). */
    @ServerRequestFilter(preMatching = true, priority = 10)
    public void refuse(HttpServerRequest request) {
        if (hasDotSegment(request.path())) {
            throw ApiError.invalid("The path contains a \".\" or \"..\" segment (perhaps percent-encoded), which no path of this API has."
                    + " Send the resource's path as the API reference gives it.");
        }
    }

    static boolean hasDotSegment(String rawPath) {
        if (rawPath == null) {
            return false;
        }
        for (String segment : rawPath.split("/", -1)) {
            String decoded = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
