package dev.segments.segment.store;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.as;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.dynamo.Attributes;
import dev.segments.dynamo.Table;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The comment of a change and the name of the token that made it are kept with the change, and every change is kept. */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class HistoryTest {

    @Inject
    Table table;

    @Test
    void commentAndAuthorAreStoredWithTheVersionTheyProduced() {
        Fixture f = segmentWithUsers("u");
        String writer = Api.admin().contentType(ContentType.JSON).body(Map.of("name", "release-bot", "role", "writer"))
                .post("/api/v2/tokens").then().statusCode(201).extract().path("token");
        as(writer).contentType(Api.SEMANTIC_PATCH)
                .body(Map.of("comment", "ticket FM-42", "instructions", List.of(add("u", System.currentTimeMillis() + 86_400_000L))))
                .patch(f.expiringPath()).then().statusCode(200);
        long version = Api.version(f);

        Map<String, AttributeValue> head = table.client().getItem(g -> g.tableName(table.name()).consistentRead(true)
                .key(Attributes.key(HeadItem.pk(f.project(), f.environment()), f.segment()))).item();
        var history = SegmentCodec.decodeHistory(head.get(AuditEntry.HELD).s());
        var last = history.get(history.size() - 1).change();
        assertEquals(version, last.version());
        assertEquals("release-bot", last.actor().name());
        assertEquals("ticket FM-42", last.comment());
        assertTrue(last.effects().get(0).contains("Scheduled the removal of user \"u\""), last.effects().toString());
    }

    @Test
    void everyVersionHasExactlyOneEntryOnceChangesMoveOutOfTheHead() {
        Fixture f = segmentWithUsers();
        for (int i = 0; i < 45; i++) {
            Api.admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(), "comment", "change " + i,
                    "instructions", List.of(Map.of("kind", "addIncludedUsers", "values", List.of("u" + i)))))
                    .patch(f.segmentPath()).then().statusCode(200);
        }
        String entryPk = "AUDIT#" + f.project() + "#" + f.environment() + "#" + f.segment();
        var items = table.client().query(q -> q.tableName(table.name()).consistentRead(true)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(entryPk)))).items();
        Map<String, AttributeValue> head = table.client().getItem(g -> g.tableName(table.name()).consistentRead(true)
                .key(Attributes.key(HeadItem.pk(f.project(), f.environment()), f.segment()))).item();
        List<Long> versions = new java.util.ArrayList<>();
        items.forEach(item -> {
            var changes = SegmentCodec.decodeHistory(item.get(AuditEntry.HISTORY).s());
            changes.forEach(c -> versions.add(c.change().version()));
            long newest = changes.stream().mapToLong(c -> c.change().at()).max().orElseThrow();
            assertEquals(newest / 1000 + 90 * 86_400L, Long.parseLong(item.get(Table.TTL).n()), "kept for the retention");
        });
        assertEquals(46 / AuditEntries.COMMITS_PER_HEAD, items.size(), "one entry item per copy-out of ten commits");
        SegmentCodec.decodeHistory(head.get(AuditEntry.HELD).s()).forEach(c -> versions.add(c.change().version()));
        // Version 1 is the creation; the head keeps the commits not yet copied out.
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 46).boxed().toList(), versions);
    }
}
