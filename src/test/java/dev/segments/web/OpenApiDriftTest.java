package dev.segments.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drift check itself: it reports each way a document departs from the reference. */
class OpenApiDriftTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String REFERENCE = """
            {"paths": {
              "/api/v2/segments/{projectKey}/{segmentKey}/expiring-user-targets/{environmentKey}": {
                "get": {"operationId": "getExpiringUserTargetsForSegment"},
                "patch": {"operationId": "patchExpiringUserTargetsForSegment"}},
              "/api/v2/tokens": {"get": {"operationId": "getTokens"}}}}
            """;

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void aMatchingDocumentHasNoDifferences() throws Exception {
        JsonNode ours = json("""
                {"paths": {
                  "/api/v2/segments/{projectKey}/{segmentKey}/expiring-user-targets/{environmentKey}": {
                    "parameters": [{"name": "projectKey", "in": "path"}, {"name": "segmentKey", "in": "path"}],
                    "get": {"operationId": "getExpiringUserTargetsForSegment",
                            "parameters": [{"name": "environmentKey", "in": "path"}, {"name": "filter", "in": "query"}]}},
                  "/api/v2/tokens": {"get": {"operationId": "getTokens"}}}}
                """);
        assertEquals(List.of(), OpenApiDrift.differences(ours, json(REFERENCE)));
    }

    @Test
    void reportsEachDrift() throws Exception {
        JsonNode drifted = json("""
                {"paths": {
                  "/api/v2/segments/{projectKey}/{segmentKey}/expiring-user-targets/{environmentKey}": {
                    "get": {"operationId": "getExpiringTargets", "parameters": [
                      {"name": "projectKey", "in": "path"}, {"name": "segmentKey", "in": "path"}, {"name": "environmentKey", "in": "path"}]},
                    "delete": {"operationId": "deleteExpiringUserTargets", "parameters": [
                      {"name": "projectKey", "in": "path"}, {"name": "segmentKey", "in": "path"}, {"name": "env", "in": "path"}]}},
                  "/api/v2/segments/{projectKey}/{segmentKey}/expiring-user-targets/{view}": {
                    "patch": {"operationId": "patchExpiringUserTargetsForSegment", "parameters": [
                      {"name": "projectKey", "in": "path"}, {"name": "segmentKey", "in": "path"}, {"name": "view", "in": "path"}]}},
                  "/api/v2/tokens": {"get": {}}}}
                """);
        String users = "/api/v2/segments/{projectKey}/{segmentKey}/expiring-user-targets/";
        assertEquals(List.of(
                "GET " + users + "{environmentKey}: operationId getExpiringTargets, LaunchDarkly's is getExpiringUserTargetsForSegment",
                "DELETE " + users + "{environmentKey} (deleteExpiringUserTargets): LaunchDarkly has no such method on this path",
                "DELETE " + users + "{environmentKey}: path parameters [projectKey, segmentKey, env], the path names "
                        + "[projectKey, segmentKey, environmentKey]",
                "PATCH " + users + "{view} (patchExpiringUserTargetsForSegment): LaunchDarkly has no such path",
                "GET /api/v2/tokens: operationId (none), LaunchDarkly's is getTokens"),
                OpenApiDrift.differences(drifted, json(REFERENCE)));
    }
}
