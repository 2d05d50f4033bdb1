package dev.segments.audit;

import static dev.segments.audit.AuditLogTest.all;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segments.dynamo.Attributes;
import dev.segments.dynamo.Table;
import dev.segments.segment.Change;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.store.SegmentStore;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import dev.segments.web.AppClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A deployed table holds the audit log as the layout before this one wrote it: heads holding
 * their recent commits' entries in {@code history}, in the audit index at the newest of them,
 * and one entry item per copied-out entry at its own sort key. After an upgrade those read as
 * they did, and commits go on from them, nothing lost or shown twice.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class LegacyAuditLayoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Table table;

    @Inject
    SegmentStore store;

    @Inject
    AppClock clock;

    @Test
    void entriesWrittenInTheEarlierLayoutListFindAndGoOnAsBefore() throws Exception {
        long t0 = System.currentTimeMillis();
        Fixture a;
        Fixture b;
        List<String> before;
        try {
            clock.use(Clock.fixed(Instant.ofEpochMilli(t0), ZoneOffset.UTC));
            a = segmentWithUsers();
            b = new Fixture(a.project(), a.environment(), "other-" + a.segment());
            admin().contentType(ContentType.JSON).body(Map.of("key", b.segment(), "name", "Other"))
                    .post("/api/v2/segments/" + a.project() + "/" + a.environment()).then().statusCode(201);
            // a: 16 commits (one copy-out of ten, six held); b: 8 (all held); interleaved a second apart.
            for (int i = 1; i <= 24; i++) {
                commit(i % 3 == 0 ? b : a, t0 + 1000L * i, "u" + i);
            }
            before = ids(a);
            assertEquals(26, before.size());

            toEarlierLayout(a);
            toEarlierLayout(b);
            for (int limit : List.of(1, 4, 7)) {
                assertEquals(before, ids(a, limit), "the earlier layout lists the same, limit " + limit);
            }
            assertEquals(before.stream().filter(id -> sortKey(id).contains("#" + a.segment() + "#")).toList(), ids(segmentSpec(a), 4),
                    "one segment's log");
            assertVersions(a, 17);
            assertVersions(b, 9);

            // Commits go on from the earlier heads: their entries move to the new layout as they are copied out.
            for (int i = 25; i <= 40; i++) {
                commit(i % 3 == 0 ? b : a, t0 + 1000L * i, "u" + i);
            }
        } finally {
            clock.use(Clock.systemUTC());
        }
        List<String> after = ids(a);
        assertEquals(26 + 16, after.size());
        assertEquals(before, after.subList(16, after.size()), "the earlier entries, below the new ones");
        for (int limit : List.of(1, 4, 7)) {
            assertEquals(after, ids(a, limit), "limit " + limit);
        }
        assertVersions(a, 17 + 11);
        assertVersions(b, 9 + 5);
    }

    private void commit(Fixture f, long at, String user) {
        // The clock is fixed at each commit's time, so that the new entries sort above the earlier ones.
        clock.use(Clock.fixed(Instant.ofEpochMilli(at), ZoneOffset.UTC));
        admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(),
                "instructions", List.of(Map.of("kind", "addIncludedUsers", "values", List.of(user)))))
                .patch(f.segmentPath()).then().statusCode(200);
    }

    private void assertVersions(Fixture f, long versions) {
        List<Change> history = store.history(new SegmentKey(f.project(), f.environment(), f.segment()));
        assertEquals(LongStream.rangeClosed(1, versions).boxed().toList(), history.stream().map(Change::version).toList(),
                "every version once, in order");
    }

    private static String segmentSpec(Fixture f) {
        return "proj/" + f.project() + ":env/" + f.environment() + ":segment/" + f.segment();
    }

    private static List<String> ids(Fixture f) {
        return ids("proj/" + f.project() + ":env/" + f.environment() + ":segment/*", 20);
    }

    private static List<String> ids(Fixture f, int limit) {
        return ids("proj/" + f.project() + ":env/" + f.environment() + ":segment/*", limit);
    }

    private static List<String> ids(String spec, int limit) {
        List<String> ids = all(spec, limit).stream().map(e -> e.getString("_id")).toList();
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(sortKey(ids.get(i - 1)).compareTo(sortKey(ids.get(i))) > 0, "newest first, each once");
        }
        return ids;
    }

    private static String sortKey(String id) {
        return new String(java.util.Base64.getUrlDecoder().decode(id), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Rewrites a segment's audit items as the earlier layout had them: every entry of an entry
     * item in an item of its own at its sort key, and the head's entries in {@code history}, the
     * head in the index at the newest.
     */
    private void toEarlierLayout(Fixture f) throws Exception {
        String entryPk = "AUDIT#" + f.project() + "#" + f.environment() + "#" + f.segment();
        List<Map<String, AttributeValue>> items = table.client().query(q -> q.tableName(table.name()).consistentRead(true)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(entryPk)))).items();
        for (Map<String, AttributeValue> item : items) {
            table.client().deleteItem(d -> d.tableName(table.name()).key(Attributes.key(entryPk, item.get(Table.SK).s())));
            for (JsonNode entry : JSON.readTree(item.get("history").s())) {
                String sortKey = sortKeyOf(item, entry);
                Map<String, AttributeValue> single = new HashMap<>(item);
                single.putAll(Attributes.key(entryPk, sortKey));
                single.put("history", AttributeValue.fromS("[" + JSON.writeValueAsString(entry) + "]"));
                single.put(Table.AUDIT_AT, AttributeValue.fromS(sortKey));
                single.put(Table.TTL, AttributeValue.fromN(Long.toString(entry.get("at").asLong() / 1000 + 90 * 86_400L)));
                table.client().putItem(p -> p.tableName(table.name()).item(single));
            }
        }
        Map<String, AttributeValue> key = Attributes.key("SEGMENTS#" + f.project() + "#" + f.environment(), f.segment());
        Map<String, AttributeValue> head = new HashMap<>(table.client().getItem(g -> g.tableName(table.name()).consistentRead(true)
                .key(key)).item());
        AttributeValue held = head.remove("held");
        head.put("history", held);
        String newest = "";
        for (JsonNode entry : JSON.readTree(held.s())) {
            String sortKey = sortKeyOf(head, entry);
            newest = sortKey.compareTo(newest) > 0 ? sortKey : newest;
        }
        head.put(Table.AUDIT_AT, AttributeValue.fromS(newest));
        table.client().putItem(p -> p.tableName(table.name()).item(head));
    }

    private static String sortKeyOf(Map<String, AttributeValue> item, JsonNode entry) {
        return String.format("%013d#%s#%s#%s#%s#%012d", entry.get("at").asLong(), item.get("project").s(), item.get("environment").s(),
                item.get("segment").s(), item.get("incarnation").s(), entry.get("version").asLong());
    }
}
