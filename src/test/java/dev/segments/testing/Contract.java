package dev.segments.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Validates every response the tests receive against the schema that LaunchDarkly's OpenAPI
 * document (shared/reference/ld-openapi-subset.yaml) names for its operation and status.
 * Statuses the document does not list for an operation (413, 415, 405, 503, ...) carry the
 * same error shape as the documented ones, so they are checked against the operation's 401
 * schema, which every operation documents.
 */
public final class Contract implements Filter {

    public static final Path SPEC = locate();
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createForSpecificationUrl(SPEC.toUri().toString())
            .withLevelResolver(LevelResolver.create()
                    .withLevel("validation.request", ValidationReport.Level.IGNORE)
                    .build())
            .build();

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
            FilterContext context) {
        Response response = context.next(request, responseSpec);
        String path = URI.create(request.getURI()).getRawPath();
        assertValid(request.getMethod(), path, response.statusCode(), response.asString());
        return response;
    }

    public static void assertValid(String method, String path, int status, String body) {
        Request.Method m = Request.Method.valueOf(method.toUpperCase(Locale.ROOT));
        ValidationReport report = validate(m, path, status, body);
        if (report.getMessages().stream().anyMatch(msg -> msg.getKey().equals("validation.response.status.unknown"))) {
            report = validate(m, path, 401, body);
        }
        if (report.hasErrors()) {
            throw new AssertionError("Response to " + method + " " + path + " (" + status + ") does not match the OpenAPI schema:\n"
                    + report + "\nBody: " + (body.length() > 2000 ? body.substring(0, 2000) + "…" : body));
        }
    }

    private static ValidationReport validate(Request.Method method, String path, int status, String body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        if (!body.isEmpty()) {
            response.withContentType("application/json").withBody(body);
        }
        return VALIDATOR.validateResponse(path, method, response.build());
    }

    private static Path locate() {
        for (Path candidate : new Path[] {Path.of("..", "shared", "reference", "ld-openapi-subset.yaml"),
                Path.of("..", "..", "shared", "reference", "ld-openapi-subset.yaml")}) {
            if (Files.exists(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("LaunchDarkly's OpenAPI subset not found at ../shared/reference/ld-openapi-subset.yaml");
    }
}
