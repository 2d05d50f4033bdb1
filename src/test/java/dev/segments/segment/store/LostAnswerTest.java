package dev.segments.segment.store;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.segmentWithUsers;
import static dev.segments.testing.Api.update;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.dynamo.Attributes;
import dev.segments.dynamo.Table;
import dev.segments.project.ProjectStore;
import dev.segments.segment.Actor;
import dev.segments.segment.Change;
import dev.segments.segment.SegmentKey;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.StoreFaults;
import dev.segments.testing.StoreProxy;
import dev.segments.testing.StoreProxy.Fault;
import dev.segments.testing.TtlEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB applies a write and the answer is lost (a dropped or reset connection, a 500); the
 * SDK sends it again and the copy fails its condition, because the first one already moved the
 * version on. Such an outcome is unknown, not lost: the service must find out by reading. Then
 * DynamoDB's TTL deletes what the service gave a {@code ttl}. Afterwards every chunk a head
 * refers to exists, every request answered 200 is in the data exactly once, and the segment
 * reads and writes. Creates, deletes (also the cleanup's of a deleted environment's segment)
 * and version-checked updates are answered for their own applied writes as such, not as 409,
 * 404 or a failed instruction.
 */
@QuarkusTest
@TestProfile(StoreFaults.class)
class LostAnswerTest {

    static final int USERS = 4000;
    static final int SCHEDULES = 60;
    static final List<Fault> APPLIED_ANSWER_LOST = List.of(Fault.ANSWER_DROPPED, Fault.CONNECTION_RESET, Fault.APPLIED_THEN_SERVER_ERROR);

    @Inject
    SegmentStore store;

    @Inject
    Table table;

    @Inject
    LeftoverSegments leftovers;

    @Inject
    ProjectStore projects;

    @AfterEach
    void heal() {
        StoreFaults.proxy.heal();
    }

    @Test
    void chunksOutliveLostAnswersAndTtlAndEveryAnswered200IsKept() {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(String.format("pool-user-%05d@example.com", i));
        }
        Fixture f = segmentWithUsers(users.toArray(String[]::new));
        SegmentKey key = new SegmentKey(f.project(), f.environment(), f.segment());
        DynamoDbClient direct = StoreFaults.direct();
        assertTrue(referencedChunks(direct, f).size() > 1, "the segment keeps its targets in chunks");

        StoreProxy proxy = StoreFaults.proxy;
        proxy.resetCounts();
        // Half of the answers to applied PutItem and BatchWriteItem calls are lost; the SDK sends each again.
        proxy.failRandomly(0.5, 14, List.of("PutItem", "BatchWriteItem"), APPLIED_ANSWER_LOST);
        long date = System.currentTimeMillis() + 30L * 86_400_000L;
        Map<String, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < SCHEDULES; i++) {
            Response r = admin().contentType(Api.SEMANTIC_PATCH)
                    .body(Map.of("comment", "schedule-" + i, "instructions", List.of(add(users.get(i), date + i))))
                    .patch(f.expiringPath());
            statuses.put("schedule-" + i, r.statusCode());
        }
        Map<String, Long> faults = proxy.faults();
        Map<String, Long> calls = proxy.calls();
        proxy.heal();

        // DynamoDB's TTL, past the grace period superseded chunks get for readers of the old head.
        TtlEmulator ttl = new TtlEmulator(direct, table.name());
        ttl.advance(Duration.ofSeconds(Chunks.SUPERSEDED_GRACE_SECONDS + 600));
        int deleted = ttl.run();

        List<String> referenced = referencedChunks(direct, f);
        Map<String, Map<String, AttributeValue>> chunks = chunkItems(direct, f);
        for (String id : referenced) {
            assertTrue(chunks.containsKey(id), "the head refers to chunk " + id + ", which TTL deleted");
            assertFalse(chunks.get(id).containsKey(Table.TTL), "the head refers to chunk " + id + ", which is retired");
        }
        JsonPath expiring = admin().get(f.expiringPath()).then().statusCode(200).extract().jsonPath();
        Map<String, Long> scheduled = new HashMap<>();
        List<Map<String, Object>> items = expiring.getList("items");
        items.forEach(item -> scheduled.put((String) item.get("userKey"), ((Number) item.get("expirationDate")).longValue()));
        Map<String, Long> inHistory = store.history(key).stream().filter(c -> c.comment() != null)
                .collect(Collectors.groupingBy(Change::comment, Collectors.counting()));
        int answered200 = 0;
        for (int i = 0; i < SCHEDULES; i++) {
            int status = statuses.get("schedule-" + i);
            assertEquals(200, status, "schedule-" + i);
            answered200++;
            assertEquals(date + i, scheduled.get(users.get(i)), "answered 200, so scheduled: " + users.get(i));
            assertEquals(1L, inHistory.getOrDefault("schedule-" + i, 0L), "schedule-" + i + " in the history once");
        }
        admin().get(f.segmentPath()).then().statusCode(200).body("included.size()", equalTo(USERS));
        Api.patchExpiring(f, add(users.get(USERS - 1), date)).then().statusCode(200).body("errors", empty());
        System.out.printf("Lost answers: %d schedule PATCHes on a %d-user segment in %d chunks, with %s injected into %s store "
                        + "calls; %d answered 200, all scheduled and each in the history once; TTL emulated %d s ahead deleted "
                        + "%d items; %d chunks referenced, all present; the segment reads and writes%n",
                SCHEDULES, USERS, referenced.size(), faults, calls, answered200, Chunks.SUPERSEDED_GRACE_SECONDS + 600,
                deleted, referenced.size());
    }

    @Test
    void aCreateWhoseAnswerIsLostIsAnswered201() {
        Fixture f = segmentWithUsers();
        String again = Api.unique("seg");
        for (Fault fault : APPLIED_ANSWER_LOST) {
            StoreFaults.proxy.failNext("PutItem", fault);
            String segment = again + "-" + fault.ordinal();
            admin().contentType(ContentType.JSON).body(Map.of("key", segment, "name", "Created"))
                    .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(201);
            admin().get("/api/v2/segments/" + f.project() + "/" + f.environment() + "/" + segment).then().statusCode(200)
                    .body("version", equalTo(1));
        }
    }

    @Test
    void aDeleteWhoseAnswerIsLostIsAnswered204() {
        for (Fault fault : APPLIED_ANSWER_LOST) {
            Fixture f = segmentWithUsers("u");
            StoreFaults.proxy.failNext("PutItem", fault);
            admin().delete(f.segmentPath()).then().statusCode(204);
            admin().get(f.segmentPath()).then().statusCode(404);
        }
    }

    @Test
    void anAppliedUpdateWhoseAnswerIsLostIsReportedApplied() {
        Fixture f = segmentWithUsers("u");
        long date = System.currentTimeMillis() + 86_400_000L;
        Api.patchExpiring(f, add("u", date)).then().statusCode(200);
        for (Fault fault : APPLIED_ANSWER_LOST) {
            long version = Api.version(f);
            date += 60_000;
            StoreFaults.proxy.failNext("PutItem", fault);
            Api.patchExpiring(f, update("u", date, version)).then().statusCode(200)
                    .body("errors", empty())
                    .body("successfulInstructions", equalTo(1))
                    .body("items[0].expirationDate", equalTo(date));
            assertEquals(version + 1, Api.version(f), "applied once");
        }
    }

    @Test
    void anEnvironmentOrProjectDeleteWhoseAnswerIsLostIsAnswered204() {
        for (Fault fault : APPLIED_ANSWER_LOST) {
            Fixture f = segmentWithUsers("u");
            String environment = "/api/v2/projects/" + f.project() + "/environments/" + f.environment();
            // Taking the environment out of its project is the delete's one UpdateItem.
            StoreFaults.proxy.failNext("UpdateItem", fault);
            admin().delete(environment).then().statusCode(204);
            admin().get(environment).then().statusCode(404);
            admin().get(f.segmentPath()).then().statusCode(404);

            Fixture g = segmentWithUsers("u");
            StoreFaults.proxy.failNext("DeleteItem", fault);
            admin().delete("/api/v2/projects/" + g.project()).then().statusCode(204);
            admin().get("/api/v2/projects/" + g.project()).then().statusCode(404);
        }
    }

    @Test
    void aLeftoverTombstonedWhoseAnswerIsLostIsReportedDeletedOnce() {
        Actor deleter = new Actor("t-deleter", "deleter");
        for (Fault fault : APPLIED_ANSWER_LOST) {
            Fixture f = segmentWithUsers("u");
            SegmentKey key = new SegmentKey(f.project(), f.environment(), f.segment());
            String environmentId = projects.find(f.project()).orElseThrow().environment(f.environment()).orElseThrow().id();
            admin().delete("/api/v2/projects/" + f.project() + "/environments/" + f.environment()).then().statusCode(204);
            // The cleanup's tombstone of the leftover is the next head write.
            StoreFaults.proxy.failNext("PutItem", fault);
            assertTrue(leftovers.delete(key, environmentId, version -> Change.deletionWith("environment", version,
                    System.currentTimeMillis(), deleter)), "its own applied tombstone, after " + fault);
            assertFalse(leftovers.delete(key, environmentId, version -> Change.deletionWith("environment", version,
                    System.currentTimeMillis(), deleter)), "nothing left to tombstone");
            Map<String, AttributeValue> head = StoreFaults.direct().getItem(g -> g.tableName(table.name()).consistentRead(true)
                    .key(Attributes.key("SEGMENTS#" + f.project() + "#" + f.environment(), f.segment()))).item();
            assertTrue(head.containsKey("deleted"), "a tombstone");
            List<String> verbs = admin().queryParam("spec", "proj/" + f.project() + ":env/" + f.environment() + ":segment/" + f.segment())
                    .get("/api/v2/auditlog").then().statusCode(200).extract().jsonPath().getList("items.titleVerb");
            assertEquals(1, verbs.stream().filter("deleted the segment"::equals).count(), "one deletion in the audit log: " + verbs);
        }
    }

    private List<String> referencedChunks(DynamoDbClient direct, Fixture f) {
        Map<String, AttributeValue> head = direct.getItem(g -> g.tableName(table.name()).consistentRead(true)
                .key(Attributes.key("SEGMENTS#" + f.project() + "#" + f.environment(), f.segment()))).item();
        return Attributes.stringList(head, "chunks");
    }

    private Map<String, Map<String, AttributeValue>> chunkItems(DynamoDbClient direct, Fixture f) {
        Map<String, Map<String, AttributeValue>> chunks = new HashMap<>();
        direct.queryPaginator(q -> q.tableName(table.name()).consistentRead(true).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(
                                "CHUNK#" + f.project() + "#" + f.environment() + "#" + f.segment()))))
                .items().forEach(item -> chunks.put(item.get("sk").s(), item));
        return chunks;
    }
}
