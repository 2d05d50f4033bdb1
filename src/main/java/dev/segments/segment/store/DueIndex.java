package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.n;
import static dev.segments.dynamo.Attributes.s;
import static dev.segments.dynamo.Attributes.string;

import dev.segments.dynamo.Table;
import dev.segments.segment.SegmentKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The sparse {@code due} index ({@code dueShard}, {@code dueAt} in epoch seconds): what the
 * sweeper has to look at, without a scan. A segment head is in it while a removal is
 * scheduled, at its earliest; a chunk item from when it is old enough to be checked for having
 * been left behind (see {@link Chunks}). Both go to their segment's shard, so that one shard's
 * sweep sees a segment's removals and chunks together.
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

    /**
     * What is due by {@code now} in one shard. The index is eventually consistent and
     * second-grained, so callers re-read each segment and do only what is really due.
     */
    static SegmentStore.Due query(DynamoDbClient db, String table, int shard, long now) {
        List<SegmentKey> segments = new ArrayList<>();
        Map<SegmentKey, List<String>> chunks = new LinkedHashMap<>();
        db.queryPaginator(q -> q.tableName(table).indexName(Table.DUE_INDEX)
                        .keyConditionExpression("#shard = :shard AND #at <= :now")
                        .expressionAttributeNames(Map.of("#shard", Table.DUE_SHARD, "#at", Table.DUE_AT))
                        .expressionAttributeValues(Map.of(":shard", s(shard(shard)), ":now", n(Math.floorDiv(now, 1000L)))))
                .items().forEach(item -> {
                    String pk = string(item, Table.PK);
                    if (pk.startsWith(Chunks.PK_PREFIX)) {
                        String[] parts = pk.split("#", 4);
                        chunks.computeIfAbsent(new SegmentKey(parts[1], parts[2], parts[3]), k -> new ArrayList<>())
                                .add(string(item, Table.SK));
                    } else {
                        String[] parts = pk.split("#", 3);
                        segments.add(new SegmentKey(parts[1], parts[2], string(item, Table.SK)));
                    }
                });
        return new SegmentStore.Due(segments, chunks);
    }
}
