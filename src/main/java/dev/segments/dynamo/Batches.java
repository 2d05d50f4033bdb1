package dev.segments.dynamo;

import dev.segments.ops.Deadline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * BatchWriteItem and BatchGetItem within their size limits. DynamoDB may process only part of
 * a batch and hand the rest back; that is sent again, with a pause, until all of it is done or
 * the deadline has passed ({@link StoreUnavailable}).
 */
public final class Batches {

    private static final int WRITES_PER_CALL = 25;
    private static final int KEYS_PER_CALL = 100;

    private Batches() {
    }

    public static void writeAll(DynamoDbClient db, String table, List<WriteRequest> writes, Deadline deadline) {
        List<WriteRequest> pending = new ArrayList<>(writes);
        int round = 0;
        while (!pending.isEmpty()) {
            requireTime(deadline, pending.size() + " items of a batch write");
            List<WriteRequest> batch = new ArrayList<>(pending.subList(0, Math.min(WRITES_PER_CALL, pending.size())));
            pending.subList(0, batch.size()).clear();
            BatchWriteItemResponse response = db.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
            List<WriteRequest> unprocessed = response.unprocessedItems().get(table);
            if (unprocessed != null && !unprocessed.isEmpty()) {
                pending.addAll(unprocessed);
                deadline.pause(++round);
            }
        }
    }

    /** The items with these keys that exist, read consistently, in no particular order. */
    public static List<Map<String, AttributeValue>> getAll(DynamoDbClient db, String table, List<Map<String, AttributeValue>> keys,
            Deadline deadline) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<Map<String, AttributeValue>> pending = new ArrayList<>(keys);
        int round = 0;
        while (!pending.isEmpty()) {
            requireTime(deadline, "reading " + pending.size() + " items");
            List<Map<String, AttributeValue>> batch = new ArrayList<>(pending.subList(0, Math.min(KEYS_PER_CALL, pending.size())));
            pending.subList(0, batch.size()).clear();
            BatchGetItemResponse response = db.batchGetItem(b -> b.requestItems(
                    Map.of(table, KeysAndAttributes.builder().keys(batch).consistentRead(true).build())));
            items.addAll(response.responses().getOrDefault(table, List.of()));
            KeysAndAttributes unprocessed = response.unprocessedKeys().get(table);
            if (unprocessed != null && unprocessed.hasKeys() && !unprocessed.keys().isEmpty()) {
                pending.addAll(unprocessed.keys());
                deadline.pause(++round);
            }
        }
        return items;
    }

    private static void requireTime(Deadline deadline, String what) {
        if (deadline.remainingMillis() <= 0) {
            throw StoreUnavailable.timedOut(what);
        }
    }
}
