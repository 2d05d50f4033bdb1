package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.key;
import static dev.segments.dynamo.Attributes.s;

import dev.segments.dynamo.Batches;
import dev.segments.ops.Deadline;
import dev.segments.segment.Change;
import dev.segments.segment.SegmentKey;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
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
 * changes into the head, next to those of up to {@link #COMMITS_PER_HEAD} - 1 earlier commits
 * ({@link #held}); the commit that would pass that count, the time span or the head's size
 * bound copies them all out as entry items in one batch before its own head write (they are
 * committed, so a racing writer copies the same ones). So every change is in the head or an
 * entry item, which is what reading back a commit's outcome relies on (see {@link Commits}).
 */
final class AuditEntries {

    /** Commits whose changes a head holds at most: their copy-out costs one write per this many commits. */
    static final int COMMITS_PER_HEAD = 10;

    private final DynamoDbClient db;
    private final String table;
    private final long retentionSeconds;

    AuditEntries(DynamoDbClient db, String table, long retentionSeconds) {
        this.db = db;
        this.table = table;
        this.retentionSeconds = retentionSeconds;
    }

    /**
     * The entries a new head holds: those the previous head held ({@code previous}) and the new
     * commit's, while they are of at most {@link #COMMITS_PER_HEAD} commits spanning at most
     * {@link AuditIndex#HEAD_SPAN_MILLIS}; else the new commit's alone, the others copied out.
     */
    static List<AuditEntry> held(List<AuditEntry> previous, List<AuditEntry> latest) {
        List<AuditEntry> all = new ArrayList<>(previous);
        all.addAll(latest);
        long commits = all.stream().map(AuditEntry::commit).distinct().count();
        LongSummaryStatistics times = all.stream().mapToLong(entry -> entry.change().at()).summaryStatistics();
        return commits <= COMMITS_PER_HEAD && times.getMax() - times.getMin() <= AuditIndex.HEAD_SPAN_MILLIS ? all : latest;
    }

    /** The writes that copy these entries (those a head held) out as entry items. */
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
     * creation on: the entry items, then those the head holds.
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
