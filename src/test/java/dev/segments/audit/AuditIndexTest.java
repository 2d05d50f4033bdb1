package dev.segments.audit;

import static dev.segments.audit.AuditLogTest.all;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.dynamo.Attributes;
import dev.segments.dynamo.Table;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import dev.segments.web.AppClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The audit index spreads a deployment's entries over partitions by segment, so that no one
 * partition's write rate caps it, and the log still lists them in one exact newest-first
 * order, paged without gaps or repeats.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class AuditIndexTest {

    @Inject
    Table table;

    @Inject
    AppClock clock;

    @Test
    void theLogIsSpreadOverIndexPartitionsAndMergedBackExactlyNewestFirst() {
        Fixture first = segmentWithUsers();
        List<Fixture> segments = new ArrayList<>(List.of(first));
        for (int i = 1; i < 12; i++) {
            Fixture f = new Fixture(first.project(), first.environment(), Api.unique("shard"));
            admin().contentType(ContentType.JSON).body(Map.of("key", f.segment(), "name", "Shard " + i))
                    .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(201);
            segments.add(f);
        }
        for (int round = 0; round < 3; round++) {
            for (Fixture f : segments) {
                admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(),
                        "instructions", List.of(Map.of("kind", "addIncludedUsers", "values", List.of("r" + round)))))
                        .patch(f.segmentPath()).then().statusCode(200);
            }
        }
        Set<String> partitions = new HashSet<>();
        for (Fixture f : segments) {
            partitions.add(table.client().getItem(g -> g.tableName(table.name()).consistentRead(true)
                    .key(Attributes.key("SEGMENTS#" + f.project() + "#" + f.environment(), f.segment()))).item()
                    .get(Table.AUDIT_LOG).s());
        }
        assertTrue(partitions.size() > 1, "one audit index partition for every segment: " + partitions);

        List<JsonPath> entries = all("proj/" + first.project(), 5);
        assertEquals(segments.size() * 4, entries.size(), "a creation and three patches per segment");
        List<String> sortKeys = entries.stream()
                .map(e -> new String(Base64.getUrlDecoder().decode(e.getString("_id")), StandardCharsets.UTF_8)).toList();
        for (int i = 1; i < sortKeys.size(); i++) {
            assertTrue(sortKeys.get(i - 1).compareTo(sortKeys.get(i)) > 0, "newest first, no repeats: " + sortKeys.get(i - 1)
                    + " then " + sortKeys.get(i));
        }
        System.out.printf("Audit index: %d segments over %d partitions, %d entries listed newest first in pages of 5, "
                + "no gap or repeat%n", segments.size(), partitions.size(), entries.size());
    }

    /**
     * Heads hold the entries of up to ten recent commits and sort in the audit index at the
     * newest: two segments' commits interleaved in time still list newest first, each once,
     * page after page (a page boundary falls inside what a head holds).
     */
    @Test
    void headsHoldingSeveralCommitsListInExactOrderAcrossPages() {
        long t0 = System.currentTimeMillis();
        List<Long> expected = new ArrayList<>();
        Fixture a;
        try {
            clock.use(Clock.fixed(Instant.ofEpochMilli(t0), ZoneOffset.UTC));
            a = segmentWithUsers();
            admin().contentType(ContentType.JSON).body(Map.of("key", "other-" + a.segment(), "name", "Other"))
                    .post("/api/v2/segments/" + a.project() + "/" + a.environment()).then().statusCode(201);
            Fixture b = new Fixture(a.project(), a.environment(), "other-" + a.segment());
            for (int i = 1; i <= 24; i++) {
                clock.use(Clock.fixed(Instant.ofEpochMilli(t0 + 1000L * i), ZoneOffset.UTC));
                admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", a.environment(),
                        "instructions", List.of(Map.of("kind", "addIncludedUsers", "values", List.of("u" + i)))))
                        .patch((i % 3 == 0 ? b : a).segmentPath()).then().statusCode(200);
                expected.add(0, t0 + 1000L * i);
            }
        } finally {
            clock.use(Clock.systemUTC());
        }
        expected.add(t0);
        expected.add(t0);
        for (int limit : List.of(1, 4, 7)) {
            List<Long> dates = all("proj/" + a.project() + ":env/" + a.environment() + ":segment/*", limit).stream()
                    .map(e -> e.getLong("date")).toList();
            assertEquals(expected, dates, "limit " + limit);
        }
    }
}
