package dev.segments.segment.api;

import static dev.segments.testing.Api.admin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segments.testing.Api;
import dev.segments.testing.Dynalite;
import dev.segments.testing.LambdaEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** getSegments pages, sorts and filters as LaunchDarkly's does, and a page never passes Lambda's response limit. */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class SegmentListTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A project and environment with segments s00..s{n-1}, created in that order. */
    static String environment(int segments) {
        String project = Api.unique("list");
        admin().contentType(ContentType.JSON).body(Map.of("key", project, "name", "P", "environments",
                List.of(Map.of("key", "production", "name", "Production", "color", "417505")))).post("/api/v2/projects").then().statusCode(201);
        String path = "/api/v2/segments/" + project + "/production";
        for (int i = 0; i < segments; i++) {
            admin().contentType(ContentType.JSON).body(Map.of("key", String.format("s%02d", i), "name", "Segment " + (char) ('z' - i),
                    "description", i % 3 == 0 ? "for the beta programme" : "other", "tags", i % 2 == 0 ? List.of("even") : List.of("odd", "x")))
                    .post(path).then().statusCode(201);
        }
        return path;
    }

    static JsonPath list(String path, Map<String, ?> query) {
        return admin().queryParams(query).get(path).then().statusCode(200).extract().jsonPath();
    }

    static List<String> keys(JsonPath page) {
        return page.getList("items.key");
    }

    @Test
    void pagesOf20ByDefaultFollowingNextLinks() {
        String path = environment(25);
        JsonPath first = list(path, Map.of());
        assertEquals(20, keys(first).size());
        assertEquals(25, first.getInt("totalCount"));
        assertEquals(path + "?limit=20&offset=20", first.getString("_links.next.href"));
        assertNull(first.get("_links.prev"));
        JsonPath second = admin().urlEncodingEnabled(false).get(first.getString("_links.next.href")).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(IntStream.range(20, 25).mapToObj(i -> String.format("s%02d", i)).toList(), keys(second));
        assertNull(second.get("_links.next"));
        assertEquals(path + "?limit=20&offset=0", second.getString("_links.prev.href"));

        JsonPath window = list(path, Map.of("limit", 3, "offset", 4));
        assertEquals(List.of("s04", "s05", "s06"), keys(window));
        assertEquals(25, window.getInt("totalCount"));
        assertEquals(List.of(), keys(list(path, Map.of("offset", 25))));
    }

    @Test
    void sortsByNameCreationDateOrLastModifiedEitherWay() {
        String path = environment(4);
        admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", "production", "instructions",
                List.of(Map.of("kind", "updateDescription", "value", "touched")))).patch(path + "/s01").then().statusCode(200);
        assertEquals(List.of("s03", "s02", "s01", "s00"), keys(list(path, Map.of("sort", "name"))));
        assertEquals(List.of("s00", "s01", "s02", "s03"), keys(list(path, Map.of("sort", "-name"))));
        assertEquals(List.of("s00", "s01", "s02", "s03"), keys(list(path, Map.of("sort", "creationDate"))));
        assertEquals(List.of("s03", "s02", "s01", "s00"), keys(list(path, Map.of("sort", "-creationDate"))));
        assertEquals("s01", keys(list(path, Map.of("sort", "-lastModified"))).get(0));
        JsonPath paged = list(path, Map.of("sort", "-creationDate", "limit", 2));
        assertEquals(path + "?limit=2&offset=2&sort=-creationDate", paged.getString("_links.next.href"));
    }

    @Test
    void filtersAsLaunchDarklyDocumentsThem() {
        String path = environment(6);
        assertEquals(List.of("s00", "s02", "s04"), keys(list(path, Map.of("filter", "tags anyOf [\"even\"]"))));
        assertEquals(List.of("s00", "s03"), keys(list(path, Map.of("filter", "query equals \"BETA\""))));
        assertEquals(List.of("s00", "s01", "s03"), keys(list(path, Map.of("filter", "query equals [\"beta\", \"s01\"]"))));
        assertEquals(List.of("s00"), keys(list(path, Map.of("filter", "tags anyOf [\"enterprise\", \"even\"],query equals \"beta\""))));
        assertEquals(List.of("s01", "s02", "s04", "s05"), keys(list(path, Map.of("filter", "excludedKeys anyOf [\"s00\", \"s03\"]"))));
        assertEquals(List.of("s03", "s05"), keys(list(path, Map.of("filter", "includedKeys anyOf [\"s03\",\"s05\",\"nope\"]"))));
        assertEquals(List.of("s00", "s01", "s03", "s05"),
                keys(list(path, Map.of("filter", "tags anyOf [\"odd\"] | (query equals \"beta\" , tags anyOf [\"even\"])"))));
        assertEquals(6, keys(list(path, Map.of("filter", "unbounded equals false"))).size());
        assertEquals(0, keys(list(path, Map.of("filter", "unbounded equals true"))).size());
        JsonPath page = list(path, Map.of("filter", "tags anyOf [\"even\"]", "limit", 1));
        assertEquals(3, page.getInt("totalCount"));
        assertTrue(page.getString("_links.next.href").contains("filter=tags"), page.getString("_links.next.href"));
    }

    @Test
    void badQueriesAreRefusedWithTheReason() {
        String path = environment(1);
        for (Map<String, String> bad : List.of(Map.of("filter", "colour equals \"red\""), Map.of("filter", "view equals \"x\""),
                Map.of("filter", "tags equals \"a\""), Map.of("filter", "tags anyOf [\"a\""), Map.of("filter", "query equals"),
                Map.of("filter", "(query equals \"a\""), Map.of("filter", "query equals \"a\" extra"), Map.of("filter", "unbounded equals 3"),
                Map.of("filter", "x".repeat(3000)), Map.of("filter", "(".repeat(17) + "query equals \"a\"" + ")".repeat(17)), Map.of("sort", "colour"), Map.of("sort", "name,"), Map.of("limit", "0"),
                Map.of("limit", "51"), Map.of("offset", "-1"), Map.of("limit", "ten"))) {
            admin().queryParams(bad).get(path).then().statusCode(400).body("code", equalTo("invalid_request"));
        }
        admin().queryParam("filter", "colour equals \"red\"").get(path).then().statusCode(400)
                .body("message", containsString("colour")).body("message", containsString("includedKeys"));
    }

    /** 512 UTF-8 bytes that grow the most in an answer. */
    static String worstKey(String prefix, int i) {
        String unique = prefix + i;
        return unique + "\u0001".repeat(512 - unique.length());
    }

    /** Two segments whose answers (each about 3.2 MB) cannot share one Lambda response: a page holds one, and next continues. */
    @Test
    void aPageStopsBeforeLambdasLimitAndNextContinuesFromThere() throws IOException {
        String path = environment(3);
        for (String segment : List.of("s00", "s01")) {
            for (int from = 0; from < 900; from += 300) {
                List<String> users = new ArrayList<>();
                for (int i = from; i < from + 300; i++) {
                    users.add(worstKey(segment, i));
                }
                admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", "production", "instructions",
                        List.of(Map.of("kind", "addIncludedUsers", "values", users)))).patch(path + "/" + segment)
                        .then().statusCode(200);
            }
        }
        List<String> seen = new ArrayList<>();
        String next = path + "?limit=3";
        for (int pages = 0; next != null; pages++) {
            assertTrue(pages < 5, "paging does not end");
            byte[] payload = LambdaEvents.payload(LambdaEvents.request("GET", next.split("\\?")[0], Api.ADMIN, "192.0.2.2")
                    .put("rawQueryString", next.split("\\?")[1]));
            assertTrue(payload.length <= SegmentBoundsApiTest.LAMBDA_LIMIT, "a page of " + payload.length + " bytes");
            JsonNode page = JSON.readTree(JSON.readTree(payload).get("body").asText());
            assertEquals(3, page.get("totalCount").asInt());
            page.get("items").forEach(item -> seen.add(item.get("key").asText()));
            assertFalse(page.get("items").isEmpty());
            next = page.path("_links").path("next").path("href").asText(null);
        }
        assertEquals(List.of("s00", "s01", "s02"), seen);
    }
}
