package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.key;
import static dev.segments.dynamo.Attributes.s;

import dev.segments.dynamo.Batches;
import dev.segments.ops.Deadline;
import dev.segments.segment.Change;
import dev.segments.segment.SegmentKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Audit entry items: {@code pk = AUDIT#<project>#<environment>#<segment>}, {@code sk} = the
 * entry's sort key, one committed change each, kept for the retention. A commit writes its
 * changes into the head; the next commit copies them out as entry items before its own head
 * write (they are committed, so a racing writer copies the same ones). So the changes of every
 * head that was superseded are entry items, which is what reading back a commit's outcome
 * relies on (see {@link Commits}).
 */
final class AuditEntries {

    private final DynamoDbClient db;
    private final String table;
    private final long retentionSeconds;

    AuditEntries(DynamoDbClient db, String table, long retentionSeconds) {
        this.db = db;
        this.table = table;
        this.retentionSeconds = retentionSeconds;
    }

    /** The writes that copy these entries (a head's latest commit) out as entry items. */
    List<WriteRequest> copies(List<AuditEntry> entries) {
        return entries.stream()
                .map(entry -> WriteRequest.builder().putRequest(PutRequest.builder().item(entry.item(retentionSeconds)).build()).build())
                .toList();
    }

    void copyOut(List<AuditEntry> entries, Deadline deadline) {
        Batches.writeAll(db, table, copies(entries), deadline);
    }

    /** The entry item with this sort key, read consistently, if there is one. */
    Optional<AuditEntry> find(SegmentKey segment, String sortKey) {
        Map<String, AttributeValue> item = db.getItem(g -> g.tableName(table).consistentRead(true)
                .key(key(AuditEntry.partition(segment), sortKey))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return AuditEntry.of(item).stream().filter(entry -> entry.sortKey().equals(sortKey)).findFirst();
    }

    /**
     * Every recorded change of the incarnation {@code head} belongs to, oldest first, from its
     * creation on: the entry items, then the head's own latest commit.
     */
    List<Change> history(SegmentKey key, Map<String, AttributeValue> head) {
        String incarnation = HeadItem.incarnation(head);
        TreeMap<Long, Change> byVersion = new TreeMap<>();
        db.queryPaginator(q -> q.tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(AuditEntry.partition(key)))))
                .items().forEach(item -> AuditEntry.of(item).stream()
                        .filter(entry -> entry.incarnation().equals(incarnation))
                        .forEach(entry -> byVersion.put(entry.change().version(), entry.change())));
        AuditEntry.of(head).forEach(entry -> byVersion.put(entry.change().version(), entry.change()));
        return new ArrayList<>(byVersion.values());
    }
}
