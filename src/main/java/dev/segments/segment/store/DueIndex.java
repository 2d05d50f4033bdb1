package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.n;
import static dev.segments.dynamo.Attributes.s;
import static dev.segments.dynamo.Attributes.string;

import dev.segments.dynamo.Table;
import dev.segments.segment.SegmentKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The sparse {@code due} index ({@code dueShard}, {@code dueAt} in epoch seconds): what the
 * sweeper has to look at, without a scan. A segment head is in it while a removal is
 * scheduled, at its earliest.
 */
final class DueIndex {

    static final int SHARDS = 16;

    private DueIndex() {
    }

    /** Puts the item in the due index of {@code segment}'s shard, due at {@code dueMillis}. */
    static void place(Map<String, AttributeValue> item, SegmentKey segment, long dueMillis) {
        String head = HeadItem.pk(segment) + "#" + segment.key();
        item.put(Table.DUE_SHARD, s(shard(Math.floorMod(head.hashCode(), SHARDS))));
        item.put(Table.DUE_AT, n(Math.floorDiv(dueMillis, 1000L)));
    }

    private static String shard(int shard) {
        return "due#" + shard;
    }

    /** The segments due by {@code now} in one shard. */
    static List<SegmentKey> query(DynamoDbClient db, String table, int shard, long now) {
        List<SegmentKey> segments = new ArrayList<>();
        db.queryPaginator(q -> q.tableName(table).indexName(Table.DUE_INDEX)
                        .keyConditionExpression("#shard = :shard AND #at <= :now")
                        .expressionAttributeNames(Map.of("#shard", Table.DUE_SHARD, "#at", Table.DUE_AT))
                        .expressionAttributeValues(Map.of(":shard", s(shard(shard)), ":now", n(Math.floorDiv(now, 1000L)))))
                .items().forEach(item -> {
                    String[] parts = string(item, Table.PK).split("#", 3);
                    segments.add(new SegmentKey(parts[1], parts[2], string(item, Table.SK)));
                });
        return segments;
    }
}
