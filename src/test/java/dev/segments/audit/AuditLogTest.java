package dev.segments.audit;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.as;
import static dev.segments.testing.Api.segmentWithUsers;
import static dev.segments.testing.Api.version;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.dynamo.RequestCounter;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The audit log: one entry per committed change (API writes and expiries alike), found by
 * resource, time and text, paged, and never an entry for a change that did not happen.
 * Every response is validated against LaunchDarkly's schemas by the {@code Contract} filter.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class AuditLogTest {

    @Test
    void everyChangeIsAnEntryWithAuthorCommentWhatAndVersion() {
        Fixture f = segmentWithUsers("u1");
        String writer = Api.admin().contentType(ContentType.JSON).body(Map.of("name", "release-bot", "role", "writer"))
                .post("/api/v2/tokens").then().statusCode(201).extract().path("token");
        // Far ahead: a date that has passed is refused, and the change would not happen.
        long due = 2_111_738_400_000L; // 2036-12-01T10:00:00Z
        as(writer).contentType(Api.SEMANTIC_PATCH)
                .body(Map.of("comment", "ticket FM-42", "instructions", List.of(add("u1", due))))
                .patch(f.expiringPath()).then().statusCode(200);

        List<JsonPath> entries = all(spec(f), 20);
        assertEquals(3, entries.size());
        JsonPath latest = entries.get(0);
        assertEquals("release-bot", latest.getString("token.name"));
        assertEquals("ticket FM-42", latest.getString("comment"));
        assertTrue(latest.getString("description").contains("Scheduled the removal of user \"u1\" from included for 2036-12-01T10:00:00Z"),
                latest.getString("description"));
        assertTrue(latest.getString("description").contains("Segment version 3."), latest.getString("description"));
        assertEquals(List.of(spec(f)), latest.getList("target.resources"));
        assertEquals("updated the segment", latest.getString("titleVerb"));
        assertEquals("Added user \"u1\" to included", entries.get(1).getString("shortDescription"));
        assertEquals("created the segment", entries.get(2).getString("titleVerb"));
        assertEquals("bootstrap admin", entries.get(2).getString("token.name"));

        JsonPath detail = admin().get("/api/v2/auditlog/" + latest.getString("_id")).then().statusCode(200).extract().jsonPath();
        assertEquals(latest.getString("description"), detail.getString("description"));
        assertEquals(3, detail.getInt("currentVersion.version"));
        assertEquals(2, detail.getInt("previousVersion.version"));
        assertEquals(version(f), 3);
    }

    @Test
    void entriesNameTheTokenByItsIdAndNoTokenMayTakeTheServicesNames() {
        Fixture f = segmentWithUsers("u1");
        for (String reserved : List.of("service", "Service ", "Expiry service", "bootstrap admin", "BOOTSTRAP ADMIN")) {
            admin().contentType(ContentType.JSON).body(Map.of("name", reserved, "role", "writer")).post("/api/v2/tokens").then()
                    .statusCode(400).body("code", equalTo("invalid_request"));
        }
        // Two tokens with one name are told apart by their ids.
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            JsonPath token = admin().contentType(ContentType.JSON).body(Map.of("name", "twin", "role", "writer"))
                    .post("/api/v2/tokens").then().statusCode(201).extract().jsonPath();
            ids.add(token.getString("_id"));
            as(token.getString("token")).contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(),
                    "instructions", List.of(Map.of("kind", "addIncludedUsers", "values", List.of("by-" + i)))))
                    .patch(f.segmentPath()).then().statusCode(200);
        }
        List<JsonPath> entries = all(spec(f), 20);
        assertEquals(List.of(ids.get(1), ids.get(0), "bootstrap", "bootstrap"),
                entries.stream().map(e -> e.getString("token._id")).toList());
        assertEquals(List.of("twin", "twin", "bootstrap admin", "bootstrap admin"),
                entries.stream().map(e -> e.getString("token.name")).toList());
    }

    @Test
    void expiriesAreEntriesOfTheService() throws InterruptedException {
        Fixture f = segmentWithUsers("leaving");
        Api.patchExpiring(f, add("leaving", System.currentTimeMillis() + 1500)).then().statusCode(200);
        JsonPath expiry = null;
        for (int i = 0; i < 100 && expiry == null; i++) {
            Thread.sleep(100);
            List<JsonPath> entries = all(spec(f), 20);
            if (entries.size() == 4) {
                expiry = entries.get(0);
            }
        }
        assertTrue(expiry != null, "the sweeper should have carried out the removal");
        assertEquals("Expiry service", expiry.getString("subject.name"));
        assertNull(expiry.get("token"));
        assertTrue(expiry.getString("description").contains("Removed user \"leaving\" from included as scheduled"), expiry.getString("description"));
        assertEquals(4, version(f));
    }

    @Test
    void specQueryAndTimeFiltersSelectEntries() {
        Fixture a = segmentWithUsers("x");
        Fixture b = new Fixture(a.project(), a.environment(), Api.unique("other"));
        admin().contentType(ContentType.JSON).body(Map.of("key", b.segment(), "name", "Other"))
                .post("/api/v2/segments/" + b.project() + "/" + b.environment()).then().statusCode(201);
        long between = System.currentTimeMillis();
        admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", b.environment(), "comment", "needle in comment",
                "instructions", List.of(Map.of("kind", "addIncludedUsers", "values", List.of("y")))))
                .patch(b.segmentPath()).then().statusCode(200);

        assertEquals(2, all(spec(a), 20).size());
        assertEquals(2, all(spec(b), 20).size());
        String everyInEnvironment = "proj/" + a.project() + ":env/" + a.environment() + ":segment/*";
        assertEquals(4, all(everyInEnvironment, 20).size());
        assertEquals(4, all("proj/" + a.project(), 20).size());
        assertEquals(2, all("proj/" + a.project() + ":env/" + a.environment() + ":segment/other-*", 20).size());
        assertEquals(0, all("proj/" + a.project() + ":env/" + a.environment() + ":flag/*", 20).size());
        assertEquals(0, all("proj/" + a.project() + ":env/staging:segment/*", 20).size());

        List<String> found = admin().queryParam("spec", everyInEnvironment).queryParam("q", "NEEDLE")
                .get("/api/v2/auditlog").then().statusCode(200).extract().path("items.comment");
        assertEquals(List.of("needle in comment"), found);
        List<Long> after = admin().queryParam("spec", everyInEnvironment).queryParam("after", between - 1)
                .get("/api/v2/auditlog").then().statusCode(200).extract().path("items.date");
        assertEquals(1, after.size());
        List<Object> before = admin().queryParam("spec", everyInEnvironment).queryParam("before", between - 1)
                .get("/api/v2/auditlog").then().statusCode(200).extract().path("items");
        assertEquals(3, before.size());
        // Without a spec, the whole log (through the audit index) holds them too.
        List<String> everything = admin().queryParam("q", "needle in").get("/api/v2/auditlog").then().statusCode(200)
                .extract().path("items.comment");
        assertTrue(everything.contains("needle in comment"), everything.toString());
    }

    @Test
    void pagingFollowsNextLinksWithoutGapsOrRepeats() {
        Fixture f = segmentWithUsers();
        for (int i = 0; i < 24; i++) {
            admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(),
                    "instructions", List.of(Map.of("kind", "addIncludedUsers", "values", List.of("u" + i)))))
                    .patch(f.segmentPath()).then().statusCode(200);
        }
        for (String spec : List.of(spec(f), "proj/" + f.project() + ":env/*")) {
            List<JsonPath> entries = all(spec, 7);
            List<Integer> versions = entries.stream().map(e -> e.getInt("currentVersion.version")).toList();
            List<Integer> expected = new ArrayList<>();
            for (int v = 25; v >= 1; v--) {
                expected.add(v);
            }
            assertEquals(expected, versions, spec);
        }
    }

    @Test
    void refusedAndLostWritesLeaveNoEntryAndRacingWritesOneEach() throws Exception {
        Fixture f = segmentWithUsers("a");
        admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(),
                "instructions", List.of(Map.of("kind", "addIncludedUsers", "values", List.of("b")), Map.of("kind", "nonsense"))))
                .patch(f.segmentPath()).then().statusCode(400);
        Api.patchExpiring(f, add("not-targeted", System.currentTimeMillis() + 86_400_000L)).then().statusCode(200)
                .body("successfulInstructions", equalTo(0));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                for (int i = 0; i < 6; i++) {
                    admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(), "comment", "w" + writer + "-" + i,
                            "instructions", List.of(Map.of("kind", "addIncludedUsers", "values", List.of("w" + writer + "-" + i)))))
                            .patch(f.segmentPath()).then().statusCode(200);
                }
            }));
        }
        for (Future<?> w : writers) {
            w.get();
        }
        pool.shutdown();
        long version = version(f);
        List<JsonPath> entries = all(spec(f), 20);
        List<Integer> versions = entries.stream().map(e -> e.getInt("currentVersion.version")).toList();
        List<Integer> expected = new ArrayList<>();
        for (long v = version; v >= 1; v--) {
            expected.add((int) v);
        }
        assertEquals(expected, versions, "one entry per version, none for refused or lost attempts");
        assertEquals(26, version);
        assertEquals(24, new HashSet<>(entries.stream().map(e -> e.getString("comment")).filter(c -> c != null).toList()).size());
    }

    @Test
    void deletionIsAnEntryAndARecreatedSegmentKeepsItsPredecessorsLog() {
        Fixture f = segmentWithUsers("u");
        admin().delete(f.segmentPath()).then().statusCode(204);
        List<JsonPath> afterDelete = all(spec(f), 20);
        assertEquals("deleted the segment", afterDelete.get(0).getString("titleVerb"));
        assertEquals(3, afterDelete.get(0).getInt("currentVersion.version"));
        admin().contentType(ContentType.JSON).body(Map.of("key", f.segment(), "name", "Again"))
                .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(201);
        List<String> verbs = all(spec(f), 20).stream().map(e -> e.getString("titleVerb")).toList();
        assertEquals(List.of("created the segment", "deleted the segment", "updated the segment", "created the segment"), verbs);
        assertEquals(1, version(f));
        admin().get(f.segmentPath()).then().statusCode(200).body("included.size()", equalTo(0));
    }

    /**
     * A listing reads the segment heads it meets in the audit index (their recent entries are in
     * them), but not those of segments its spec leaves out: none of their entries could pass.
     */
    @Test
    void aListingReadsOnlyTheHeadsOfTheSegmentsItSelects() {
        Fixture f = segmentWithUsers("u");
        for (int i = 0; i < 4; i++) {
            segmentWithUsers("u"); // newer heads, of other projects, that a listing newest first meets first
        }
        Map<String, Long> before = RequestCounter.requests();
        List<Object> items = admin().queryParam("spec", "proj/" + f.project() + ":env/*:segment/*").get("/api/v2/auditlog")
                .then().statusCode(200).extract().jsonPath().getList("items");
        Map<String, Long> used = RequestCounter.since(before, RequestCounter.requests());
        assertEquals(2, items.size());
        // Its own head; reading the other four (and every older one in the index) would take many more.
        assertTrue(used.getOrDefault("GetItem", 0L) <= 2, "store requests of the listing: " + used);
    }

    @Test
    void readersMayReadTheLogAndBadQueriesAreRefused() {
        Fixture f = segmentWithUsers("u");
        String reader = admin().contentType(ContentType.JSON).body(Map.of("name", "auditor", "role", "reader"))
                .post("/api/v2/tokens").then().statusCode(201).extract().path("token");
        as(reader).queryParam("spec", spec(f)).get("/api/v2/auditlog").then().statusCode(200).body("items.size()", equalTo(2));
        for (Map<String, String> bad : List.of(Map.of("limit", "0"), Map.of("limit", "21"), Map.of("limit", "ten"),
                Map.of("before", "-5"), Map.of("after", "yesterday"), Map.of("spec", "not a spec"), Map.of("cursor", "bm9wZQ"))) {
            admin().queryParams(bad).get("/api/v2/auditlog").then().statusCode(400).body("code", equalTo("invalid_request"));
        }
        admin().get("/api/v2/auditlog/bm9wZQ").then().statusCode(404).body("code", equalTo("not_found"));
        as("api-" + java.util.UUID.randomUUID()).get("/api/v2/auditlog").then().statusCode(401);
    }

    static String spec(Fixture f) {
        return "proj/" + f.project() + ":env/" + f.environment() + ":segment/" + f.segment();
    }

    /** Every entry the spec selects, following {@code _links.next}, each with its detail. */
    static List<JsonPath> all(String spec, int limit) {
        List<JsonPath> entries = new ArrayList<>();
        String next = "/api/v2/auditlog?limit=" + limit + "&spec=" + java.net.URLEncoder.encode(spec, java.nio.charset.StandardCharsets.UTF_8);
        for (int pages = 0; next != null; pages++) {
            assertTrue(pages < 100, "paging does not end");
            JsonPath page = admin().urlEncodingEnabled(false).get(next).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            assertTrue(items.size() <= limit);
            for (int i = 0; i < items.size(); i++) {
                String id = page.getString("items[" + i + "]._id");
                entries.add(admin().get("/api/v2/auditlog/" + id).then().statusCode(200).extract().jsonPath());
            }
            next = page.getString("_links.next.href");
            assertFalse(next != null && items.isEmpty(), "a next link after an empty page");
        }
        return entries;
    }
}
