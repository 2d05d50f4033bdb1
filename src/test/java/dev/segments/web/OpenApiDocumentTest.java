package dev.segments.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.segments.testing.Contract;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Our OpenAPI document, served where LaunchDarkly serves its own, publishes exactly the API we
 * claim to implement: each operation in it is LaunchDarkly's, with LaunchDarkly's path, method
 * and operationId, and each operation the README lists is in it. Internal endpoints (the
 * sweeper's {@code POST /internal/sweep}) are hidden in the code, so no allow-list is needed.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class OpenApiDocumentTest {

    /** The operations the README says we implement, by LaunchDarkly's operationId: all that the reference we carry has. */
    private static final Set<String> IMPLEMENTED = Set.of(
            "getProjects", "postProject", "getProject", "patchProject", "deleteProject",
            "getEnvironmentsByProject", "postEnvironment", "getEnvironment", "patchEnvironment", "deleteEnvironment",
            "postSegment", "getSegments", "getSegment", "patchSegment", "deleteSegment",
            "getExpiringUserTargetsForSegment", "patchExpiringUserTargetsForSegment",
            "getExpiringTargetsForSegment", "patchExpiringTargetsForSegment",
            "postToken", "getTokens", "getToken", "patchToken", "deleteToken",
            "getAuditLogEntries", "getAuditLogEntry", "getCallerIdentity");

    /**
     * Fetched without a token (LaunchDarkly's is public) and without the {@link Contract}
     * filter: the document itself is not an operation of LaunchDarkly's reference.
     */
    private static String document() {
        return given().get("/api/v2/openapi.json").then().statusCode(200)
                .contentType("application/json").extract().asString();
    }

    @Test
    void isAnOpenApi3DocumentServedWithoutAToken() {
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document());
        assertTrue(parsed.getMessages() == null || parsed.getMessages().isEmpty(), () -> "Not valid OpenAPI: " + parsed.getMessages());
        assertTrue(parsed.getOpenAPI().getOpenapi().startsWith("3."), parsed.getOpenAPI().getOpenapi());
        assertTrue(parsed.getOpenAPI().getInfo().getTitle().startsWith("segment-targets"));
    }

    @Test
    void everyOperationIsLaunchDarklysAndEveryImplementedOneIsThere() throws Exception {
        JsonNode ours = new ObjectMapper().readTree(document());
        JsonNode reference = new YAMLMapper().readTree(Contract.SPEC);

        assertEquals(List.of(), OpenApiDrift.differences(ours, reference), "our document departs from LaunchDarkly's");

        Set<String> missing = new LinkedHashSet<>(IMPLEMENTED);
        missing.removeAll(OpenApiDrift.operationIds(ours));
        assertEquals(Set.of(), missing, "operations we implement but do not publish");

        Set<String> notImplemented = new LinkedHashSet<>(OpenApiDrift.operationIds(reference));
        notImplemented.removeAll(IMPLEMENTED);
        assertEquals(Set.of(), notImplemented, "operations of the reference we carry but do not implement");
    }
}
