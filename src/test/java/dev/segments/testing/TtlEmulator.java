package dev.segments.testing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * DynamoDB's time to live, which dynalite lacks: deletes every item whose {@code ttl} (epoch
 * seconds, a number) has passed, as DynamoDB does some time after it passes. Test time starts
 * at the real time and can be moved ahead, so a test can see what the table looks like hours
 * later. As DynamoDB, it ignores a {@code ttl} that is not a number or lies more than five
 * years in the past, and deletes an item only if its {@code ttl} has still passed when it
 * deletes it (a write that moved or removed it in between wins).
 *
 * <p>It talks to dynalite directly, never through a {@link StoreProxy}: TTL deletion is
 * DynamoDB's own, not a request of the service.
 */
public final class TtlEmulator {

    private static final long FIVE_YEARS_SECONDS = 5L * 365 * 86_400;

    private final DynamoDbClient db;
    private final String table;
    private volatile long aheadSeconds;

    public TtlEmulator(DynamoDbClient db, String table) {
        this.db = db;
        this.table = table;
    }

    /** Moves test time ahead. */
    public void advance(Duration by) {
        aheadSeconds += by.toSeconds();
    }

    /** Test time, in epoch seconds. */
    public long nowSeconds() {
        return System.currentTimeMillis() / 1000 + aheadSeconds;
    }

    /** Deletes what DynamoDB's TTL would have deleted by now (test time); how many items. */
    public int run() {
        long now = nowSeconds();
        Map<String, AttributeValue> values = Map.of(":now", AttributeValue.fromN(Long.toString(now)),
                ":oldest", AttributeValue.fromN(Long.toString(now - FIVE_YEARS_SECONDS)));
        AtomicInteger deleted = new AtomicInteger();
        db.scanPaginator(s -> s.tableName(table).consistentRead(true)
                        .filterExpression("#ttl <= :now AND #ttl >= :oldest")
                        .projectionExpression("pk, sk")
                        .expressionAttributeNames(Map.of("#ttl", "ttl"))
                        .expressionAttributeValues(values))
                .items().forEach(item -> {
                    try {
                        db.deleteItem(d -> d.tableName(table).key(item)
                                .conditionExpression("#ttl <= :now AND #ttl >= :oldest")
                                .expressionAttributeNames(Map.of("#ttl", "ttl"))
                                .expressionAttributeValues(values));
                        deleted.incrementAndGet();
                    } catch (ConditionalCheckFailedException movedMeanwhile) {
                        // kept, as DynamoDB keeps an item whose ttl changed before the deletion
                    }
                });
        return deleted.get();
    }
}
