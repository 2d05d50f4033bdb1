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
import java.net.URL;
import java.util.Locale;

/**
 * Validates every response the tests receive against the schema that LaunchDarkly's OpenAPI
 * document names for its operation and status. The document is the project's own copy
 * ({@code src/test/resources/contracts/}, see the README there for its source).
 * Statuses the document does not list for an operation (413, 415, 405, 503, ...) carry the
 * same error shape as the documented ones, so they are checked against the operation's 401
 * schema, which every operation documents.
 */
public final class Contract implements Filter {

    public static final URL SPEC = resource("ld-openapi-subset.yaml");
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createForSpecificationUrl(SPEC.toString())
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

    /** A contract file from the test classpath ({@code /contracts/<name>}). */
    public static URL resource(String name) {
        URL url = Contract.class.getResource("/contracts/" + name);
        if (url == null) {
            throw new IllegalStateException("Contract " + name + " is missing from src/test/resources/contracts/");
        }
        return url;
    }
}
