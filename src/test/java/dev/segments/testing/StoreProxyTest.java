package dev.segments.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.dynamo.Table;
import dev.segments.testing.StoreProxy.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The test tools do what they claim, seen through the SDK with its retries off: each fault of
 * the {@link StoreProxy} applies the request or not as documented, a partial batch processes
 * some items and hands back exactly the others, and the {@link TtlEmulator} deletes exactly
 * the items whose {@code ttl} has passed in test time.
 */
class StoreProxyTest {

    static StoreProxy proxy;
    static DynamoDbClient through;
    static DynamoDbClient direct;
    static String table;

    @BeforeAll
    static void start() throws Exception {
        String dynalite = Dynalite.startServer();
        proxy = new StoreProxy(dynalite);
        through = client(proxy.endpoint());
        direct = client(dynalite);
        table = "proxy-" + UUID.randomUUID().toString().substring(0, 8);
        new Table(direct, table, true).ensureExists();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    static DynamoDbClient client(String endpoint) {
        return Dynalite.client(endpoint).overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none())).build();
    }

    @Test
    void faultsThatApplyLoseTheAnswerAndTheOthersChangeNothing() {
        for (Fault fault : List.of(Fault.ANSWER_DROPPED, Fault.CONNECTION_RESET, Fault.APPLIED_THEN_SERVER_ERROR,
                Fault.PROVISIONED_THROUGHPUT_EXCEEDED, Fault.THROTTLING, Fault.SERVER_ERROR)) {
            String sk = fault.name() + "-" + UUID.randomUUID();
            proxy.failNext("PutItem", fault);
            long callsBefore = proxy.calls().getOrDefault("PutItem", 0L);
            Exception seen = null;
            try {
                through.putItem(p -> p.tableName(table).item(item(sk)));
            } catch (SdkClientException | DynamoDbException e) {
                seen = e;
            }
            boolean stored = !direct.getItem(g -> g.tableName(table).key(key(sk)).consistentRead(true)).item().isEmpty();
            assertEquals(fault.applies(), stored, fault + " applied");
            long sent = proxy.calls().get("PutItem") - callsBefore;
            // The JDK's HTTP client itself sends a request again once when a connection ends without an answer;
            // then the second, unfaulted one answers. Either way the caller never learns that the first one was applied.
            assertTrue(seen != null || sent == 2, fault + ": no error and no resend");
            switch (fault) {
                case PROVISIONED_THROUGHPUT_EXCEEDED -> assertTrue(seen instanceof ProvisionedThroughputExceededException, fault + ": " + seen);
                case THROTTLING -> assertTrue(seen instanceof DynamoDbException d && d.isThrottlingException(), fault + ": " + seen);
                case SERVER_ERROR, APPLIED_THEN_SERVER_ERROR -> assertEquals(500, ((DynamoDbException) seen).statusCode(), fault.name());
                default -> {
                }
            }
            System.out.printf("Store proxy: %s -> %s, %d request(s) sent, item %s%n", fault,
                    seen == null ? "answered after a resend" : seen.getClass().getSimpleName(), sent, stored ? "stored" : "absent");
        }
    }

    @Test
    void aPartialBatchWriteAppliesSomeAndHandsBackExactlyTheRest() {
        List<String> keys = new ArrayList<>();
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String sk = "batch-" + UUID.randomUUID();
            keys.add(sk);
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item(sk)).build()).build());
        }
        proxy.failNext("BatchWriteItem", Fault.PARTIAL_BATCH);
        BatchWriteItemResponse response = through.batchWriteItem(b -> b.requestItems(Map.of(table, writes)));
        Set<String> unprocessed = new HashSet<>();
        response.unprocessedItems().getOrDefault(table, List.of()).forEach(w -> unprocessed.add(w.putRequest().item().get("sk").s()));
        assertFalse(unprocessed.isEmpty(), "some items unprocessed");
        for (String sk : keys) {
            boolean stored = !direct.getItem(g -> g.tableName(table).key(key(sk)).consistentRead(true)).item().isEmpty();
            assertEquals(!unprocessed.contains(sk), stored, sk);
        }

        proxy.failNext("BatchGetItem", Fault.PARTIAL_BATCH);
        List<Map<String, AttributeValue>> wanted = keys.stream().map(StoreProxyTest::key).toList();
        BatchGetItemResponse got = through.batchGetItem(b -> b.requestItems(Map.of(table,
                KeysAndAttributes.builder().keys(wanted).consistentRead(true).build())));
        Set<String> answered = new HashSet<>();
        got.responses().getOrDefault(table, List.of()).forEach(i -> answered.add(i.get("sk").s()));
        Set<String> handedBack = new HashSet<>();
        got.unprocessedKeys().get(table).keys().forEach(k -> handedBack.add(k.get("sk").s()));
        assertTrue(got.unprocessedKeys().get(table).consistentRead(), "the unprocessed keys keep the request's options");
        assertFalse(handedBack.isEmpty());
        assertTrue(handedBack.size() < keys.size(), "at least one key processed");
        assertTrue(new HashSet<>(keys).containsAll(handedBack));
        // Every key not handed back was read: answered if it is stored, absent if not.
        Set<String> expected = new HashSet<>(keys);
        expected.removeAll(unprocessed);
        expected.removeAll(handedBack);
        assertEquals(expected, answered);

        proxy.failNext("BatchWriteItem", Fault.PARTIAL_BATCH);
        assertEquals(1, through.batchWriteItem(b -> b.requestItems(Map.of(table, List.of(writes.get(0))))).unprocessedItems()
                .get(table).size(), "a write of one item can be handed back whole");
        proxy.failNext("BatchGetItem", Fault.PARTIAL_BATCH);
        assertTrue(through.batchGetItem(b -> b.requestItems(Map.of(table, KeysAndAttributes.builder().keys(wanted.get(0)).build())))
                .unprocessedKeys().isEmpty(), "a read of one key cannot be split and goes through whole");
    }

    @Test
    void randomFaultsHitAtTheChosenRateAndHeal() {
        proxy.resetCounts();
        proxy.failRandomly(1.0, 7, Set.of("GetItem"), List.of(Fault.THROTTLING));
        assertThrows(DynamoDbException.class, () -> through.getItem(g -> g.tableName(table).key(key("none"))));
        through.putItem(p -> p.tableName(table).item(item("unfaulted")));
        proxy.heal();
        through.getItem(g -> g.tableName(table).key(key("none")));
        assertEquals(Map.of("THROTTLING", 1L), proxy.faults());
    }

    @Test
    void aHeldRequestWaitsUntilReleased() throws Exception {
        StoreProxy.Hold hold = proxy.holdNext("PutItem");
        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> through.putItem(p -> p.tableName(table).item(item("held"))));
        assertTrue(hold.awaitArrival(5_000));
        Thread.sleep(200);
        assertFalse(put.isDone(), "still held");
        hold.release();
        put.get();
        assertFalse(direct.getItem(g -> g.tableName(table).key(key("held")).consistentRead(true)).item().isEmpty());
    }

    @Test
    void theTtlEmulatorDeletesWhatHasExpiredInTestTime() {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Long> ttls = Map.of("ttl-past", now - 10, "ttl-soon", now + 1800, "ttl-later", now + 7200,
                "ttl-ancient", now - 6L * 365 * 86_400);
        ttls.forEach((sk, ttl) -> {
            Map<String, AttributeValue> item = item(sk);
            item.put("ttl", AttributeValue.fromN(Long.toString(ttl)));
            direct.putItem(p -> p.tableName(table).item(item));
        });
        Map<String, AttributeValue> notANumber = item("ttl-text");
        notANumber.put("ttl", AttributeValue.fromS("1"));
        direct.putItem(p -> p.tableName(table).item(notANumber));
        TtlEmulator ttl = new TtlEmulator(direct, table);
        ttl.run();
        assertEquals(Set.of("ttl-soon", "ttl-later", "ttl-ancient", "ttl-text"), present(ttls.keySet(), "ttl-text"));
        ttl.advance(Duration.ofHours(1));
        ttl.run();
        assertEquals(Set.of("ttl-later", "ttl-ancient", "ttl-text"), present(ttls.keySet(), "ttl-text"));
    }

    private static Set<String> present(Set<String> keys, String extra) {
        Set<String> all = new HashSet<>(keys);
        all.add(extra);
        Set<String> present = new HashSet<>();
        for (String sk : all) {
            if (!direct.getItem(g -> g.tableName(table).key(key(sk)).consistentRead(true)).item().isEmpty()) {
                present.add(sk);
            }
        }
        return present;
    }

    static Map<String, AttributeValue> key(String sk) {
        return new java.util.HashMap<>(Map.of("pk", AttributeValue.fromS("PROXY"), "sk", AttributeValue.fromS(sk)));
    }

    static Map<String, AttributeValue> item(String sk) {
        Map<String, AttributeValue> item = key(sk);
        item.put("data", AttributeValue.fromS("x"));
        return item;
    }
}
