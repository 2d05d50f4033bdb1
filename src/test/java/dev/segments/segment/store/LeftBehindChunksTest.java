package dev.segments.segment.store;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.dynamo.Attributes;
import dev.segments.dynamo.Table;
import dev.segments.expiry.Sweeper;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.StoreFaults;
import dev.segments.testing.StoreProxy;
import dev.segments.testing.StoreProxy.Fault;
import dev.segments.testing.TtlEmulator;
import dev.segments.web.AppClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Chunks written by a commit whose head never landed (a crash between chunks and head, or a
 * head write whose outcome stayed unknown) are found by the sweeper and retired, so that
 * DynamoDB's TTL deletes them; chunks of a commit still in flight are left alone, and so is
 * every chunk a head refers to, by name or as pending. Chunks an applied head superseded are
 * retired the same way.
 */
@QuarkusTest
@TestProfile(StoreFaults.ShortDeadline.class)
class LeftBehindChunksTest {

    @Inject
    Sweeper sweeper;

    @Inject
    AppClock clock;

    @Inject
    Table table;

    @AfterEach
    void reset() {
        clock.use(Clock.systemUTC());
        StoreFaults.proxy.heal();
    }

    @Test
    void chunksNoHeadWillReferToAreRetiredAndTheInFlightOnesAreNot() throws Exception {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            users.add(String.format("left-user-%05d@example.com", i));
        }
        Fixture f = segmentWithUsers(users.toArray(String[]::new));
        StoreProxy proxy = StoreFaults.proxy;
        long date = System.currentTimeMillis() + 86_400_000L;

        // A commit in flight: its chunks are written (ten schedules take the head's patch past the bound above which they
        // are), its head write is held while the sweeper runs.
        StoreProxy.Hold hold = proxy.holdNext("PutItem");
        CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(() -> Api.patchExpiring(f, Api.addAll(Api.spread(users, 0), date)));
        assertTrue(hold.awaitArrival(10_000));
        Sweeper.Result during = sweeper.sweep();
        hold.release();
        inFlight.get().then().statusCode(200);
        assertReferencedChunksLive(f);

        // A commit whose head writes are throttled until its deadline: 503, outcome unknown, chunks left behind.
        proxy.failRandomly(1.0, 9, Set.of("PutItem"), List.of(Fault.THROTTLING));
        Api.patchExpiring(f, Api.addAll(Api.spread(users, 1), date)).then().statusCode(503);
        proxy.heal();
        List<String> left = leftBehind(f);
        assertFalse(left.isEmpty(), "the unconfirmed commit left chunks behind");

        // Young chunks might belong to a commit still in flight: the sweeper leaves them alone.
        sweeper.sweep();
        assertEquals(left, leftBehind(f), "too young to be taken for left behind");

        // Once no commit can still be writing them, they are retired.
        clock.use(Clock.fixed(Instant.now().plus(Chunks.CHECK_AFTER).plusSeconds(60), ZoneOffset.UTC));
        Sweeper.Result later = sweeper.sweep();
        clock.use(Clock.systemUTC());
        assertEquals(List.of(), leftBehind(f), "every chunk left behind got a ttl");
        assertTrue(later.chunksRetired() >= left.size(), later.toString());
        assertReferencedChunksLive(f);

        TtlEmulator ttl = new TtlEmulator(StoreFaults.direct(), table.name());
        ttl.advance(Chunks.CHECK_AFTER.plusSeconds(Chunks.SUPERSEDED_GRACE_SECONDS + 600));
        int deleted = ttl.run();
        for (String id : left) {
            assertFalse(chunks(f).containsKey(id), "chunk " + id + " deleted");
        }
        assertReferencedChunksLive(f);
        admin().get(f.expiringPath()).then().statusCode(200).body("items.size()", equalTo(10))
                .body("items[0].userKey", equalTo(users.get(0)));
        Api.patchExpiring(f, add(users.get(2), date)).then().statusCode(200);
        System.out.printf("Left-behind chunks: a sweep during an in-flight commit retired none of its chunks (%s); an "
                        + "unconfirmed commit left %d chunks, kept while young, retired %d min after they were written (%s), "
                        + "deleted by TTL (%d items); every referenced chunk kept; the segment reads and writes%n",
                during, left.size(), Chunks.CHECK_AFTER.toMinutes(), later, deleted);
    }

    @Test
    void chunksAnAppliedHeadSupersededAreRetiredByTheSweeper() {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            users.add(String.format("superseded-user-%05d@example.com", i));
        }
        Fixture f = segmentWithUsers(users.toArray(String[]::new));
        long date = System.currentTimeMillis() + 86_400_000L;
        List<String> before = named(f);
        Api.patchExpiring(f, add(users.get(0), date)).then().statusCode(200);
        assertEquals(before, named(f), "the change is in the head's patch");
        assertEquals(Map.of(), pending(f), "a small patch is written with the head alone");
        Api.patchExpiring(f, Api.addAll(Api.spread(users, 397), date)).then().statusCode(200);
        Map<Integer, String> pending = pending(f);
        assertEquals(HeadItem.patch(head(f)).buckets(before.size()), pending.keySet(),
                "past its bound, each bucket of the patch has a chunk written along with the head");
        assertEquals(List.of(), leftBehind(f), "the commits wrote only those chunks and their heads, retiring nothing");

        // The next change names those chunks in place of the patch's entries for them.
        Api.patchExpiring(f, add(users.get(1), date)).then().statusCode(200);
        assertTrue(named(f).containsAll(pending.values()), "the chunks written along with the last head are named");
        List<String> superseded = new ArrayList<>(before);
        superseded.removeAll(named(f));
        assertEquals(pending.size(), superseded.size(), "they supersede as many chunks");
        assertEquals(superseded.stream().sorted().toList(), leftBehind(f), "left for the sweeper");

        clock.use(Clock.fixed(Instant.now().plus(Chunks.CHECK_AFTER).plusSeconds(60), ZoneOffset.UTC));
        Sweeper.Result sweep = sweeper.sweep();
        clock.use(Clock.systemUTC());
        assertEquals(List.of(), leftBehind(f), "the superseded chunk got a ttl");
        assertTrue(sweep.chunksRetired() >= 1, sweep.toString());
        assertReferencedChunksLive(f);
        admin().get(f.expiringPath()).then().statusCode(200).body("items.size()", equalTo(12));
    }

    /** Every chunk the head refers to exists and has no ttl. */
    private void assertReferencedChunksLive(Fixture f) {
        Map<String, Map<String, AttributeValue>> chunks = chunks(f);
        List<String> referenced = referenced(f);
        assertFalse(referenced.isEmpty());
        for (String id : referenced) {
            assertTrue(chunks.containsKey(id), "the head refers to chunk " + id + ", which is missing");
            assertFalse(chunks.get(id).containsKey(Table.TTL), "the head refers to chunk " + id + ", which is retired");
        }
    }

    /** Chunks no head refers to and that have no ttl. */
    private List<String> leftBehind(Fixture f) {
        List<String> referenced = referenced(f);
        return chunks(f).entrySet().stream()
                .filter(e -> !referenced.contains(e.getKey()) && !e.getValue().containsKey(Table.TTL))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** Every chunk the head refers to, by name or as pending. */
    private List<String> referenced(Fixture f) {
        return HeadItem.referencedChunks(head(f));
    }

    private List<String> named(Fixture f) {
        return HeadItem.chunkIds(head(f));
    }

    private Map<Integer, String> pending(Fixture f) {
        return HeadItem.pending(head(f));
    }

    private Map<String, AttributeValue> head(Fixture f) {
        DynamoDbClient direct = StoreFaults.direct();
        return direct.getItem(g -> g.tableName(table.name()).consistentRead(true)
                .key(Attributes.key(HeadItem.pk(f.project(), f.environment()), f.segment()))).item();
    }

    private Map<String, Map<String, AttributeValue>> chunks(Fixture f) {
        Map<String, Map<String, AttributeValue>> chunks = new HashMap<>();
        StoreFaults.direct().queryPaginator(q -> q.tableName(table.name()).consistentRead(true).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(
                                "CHUNK#" + f.project() + "#" + f.environment() + "#" + f.segment()))))
                .items().forEach(item -> chunks.put(item.get("sk").s(), item));
        return chunks;
    }
}
