package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.s;

import dev.segments.dynamo.Batches;
import dev.segments.ops.Deadline;
import dev.segments.segment.Change;
import dev.segments.segment.SegmentKey;
import java.util.ArrayList;
import java.util.Iterator;
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
 * sort key of the oldest entry the item holds, then its highest version; kept for the retention.
 * A commit writes its changes into the head, next to those of up to {@link #COMMITS_PER_HEAD} - 1
 * earlier commits ({@link #held}); the commit that would pass that count, the time span or the
 * head's size bound copies them all out as one entry item before its own head write (they are
 * committed, so a racing writer copies the same ones). Items written before that hold one entry
 * each, with its sort key as {@code sk}; they read the same way. So every change is in the head or an
 * entry item, which is what reading back a commit's outcome relies on (see {@link Commits}).
 */
final class AuditEntries {

    /** Commits whose changes a head holds at most: their copy-out costs one write per this many commits. */
    static final int COMMITS_PER_HEAD = 10;

    /** Items a look-up by sort key reads at a time. */
    private static final int FIND_PAGE = 4;

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

    /** The write that copies these entries (those a head held) out, as one entry item. */
    WriteRequest copy(List<AuditEntry> entries) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(AuditEntry.batchItem(entries, retentionSeconds)).build()).build();
    }

    void copyOut(List<AuditEntry> entries, Deadline deadline) {
        Batches.writeAll(db, table, List.of(copy(entries)), deadline);
    }

    /**
     * The entry with this sort key from the entry items, read consistently, if there is one. An
     * item sorts at its oldest entry and holds none more than {@link AuditIndex#HEAD_SPAN_MILLIS}
     * newer, so the item holding it is among those sorted at most that much before it; nearly
     * always the first of them, newest first.
     */
    Optional<AuditEntry> find(SegmentKey segment, String sortKey) {
        long at = Long.parseLong(sortKey.substring(0, 13));
        Iterator<Map<String, AttributeValue>> items = db.queryPaginator(q -> q.tableName(table).consistentRead(true)
                        .scanIndexForward(false).limit(FIND_PAGE)
                        .keyConditionExpression("pk = :pk AND sk BETWEEN :low AND :high")
                        .expressionAttributeValues(Map.of(":pk", s(AuditEntry.partition(segment)),
                                ":low", s(AuditEntry.timeBound(at - AuditIndex.HEAD_SPAN_MILLIS)),
                                // An item's sk is its oldest entry's sort key, with its highest version after a '#'.
                                ":high", s(sortKey + "~"))))
                .items().iterator();
        while (items.hasNext()) {
            Optional<AuditEntry> found = AuditEntry.of(items.next()).stream().filter(entry -> entry.sortKey().equals(sortKey)).findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * The entries copied out of a head that sat in the audit index at {@code oldest}: those of
     * the entry items sorted there, read consistently.
     */
    List<AuditEntry> copiedFrom(SegmentKey segment, String oldest) {
        List<AuditEntry> copied = new ArrayList<>();
        db.queryPaginator(q -> q.tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :oldest)")
                        .expressionAttributeValues(Map.of(":pk", s(AuditEntry.partition(segment)), ":oldest", s(oldest))))
                .items().forEach(item -> copied.addAll(AuditEntry.of(item)));
        return copied;
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
