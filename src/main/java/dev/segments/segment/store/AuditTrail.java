package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.s;
import static dev.segments.dynamo.Attributes.string;

import dev.segments.dynamo.Table;
import dev.segments.segment.SegmentKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the audit log: entry items, plus the changes of each segment's recent commits, which
 * live in its head until a later commit copies them out (see {@link AuditEntries}). An entry
 * can be in both places for a moment; it is shown once. The whole log is read through the
 * sharded audit index ({@link AuditIndex}), one segment's from its head and entry partition.
 */
@ApplicationScoped
public class AuditTrail {

    /** Index rows a filtered listing reads before it answers with what it found and a cursor. */
    static final int SCAN_BUDGET = 2000;

    private final DynamoDbClient db;
    private final String table;
    private final long retentionMillis;
    private final AuditEntries entries;

    public AuditTrail(Table table, @ConfigProperty(name = AuditEntry.RETENTION_DAYS) int retentionDays) {
        this.db = table.client();
        this.table = table.name();
        this.retentionMillis = retentionDays * 86_400_000L;
        this.entries = new AuditEntries(db, table.name(), retentionDays * 86_400L);
    }

    /**
     * Entries with {@code from <= sortKey < below}, newest first, at most {@code limit}, that
     * pass {@code filter}; {@code segment} narrows the read to one segment's entries, and
     * {@code segments} tells the segments whose entries {@code filter} may pass.
     * {@code resumeBelow} is where the next page starts, if there may be one.
     */
    public record Page(List<AuditEntry> entries, Optional<String> resumeBelow) {
    }

    public Page page(Optional<SegmentKey> segment, Predicate<SegmentKey> segments, String from, String below, Predicate<AuditEntry> filter,
            int limit, long now) {
        String lowest = max(from, AuditEntry.timeBound(now - retentionMillis));
        TreeMap<String, AuditEntry> found = new TreeMap<>(Comparator.reverseOrder());
        if (segment.isPresent()) {
            Map<String, AttributeValue> head = HeadItem.read(db, table, segment.get());
            if (head != null) {
                collect(AuditEntry.of(head), lowest, below, filter, found);
            }
        }
        Iterator<Map<String, AttributeValue>> rows = rows(segment, below);
        int scanned = 0;
        String stop = null;
        while (rows.hasNext()) {
            Map<String, AttributeValue> row = rows.next();
            String at = string(row, Table.AUDIT_AT);
            // Neither this row nor the rows still to come hold an entry at or above this.
            String settled = AuditIndex.settled(at);
            if (settled.compareTo(lowest) <= 0 || found.headMap(settled, true).size() > limit) {
                break;
            }
            if (stop != null && settled.compareTo(stop) <= 0) {
                // Every entry from the stop on is known: the next page starts below it.
                return answer(new TreeMap<>(found.headMap(stop, true)), limit, Optional.of(stop));
            }
            collect(entries(row, segments), lowest, below, filter, found);
            if (stop == null && ++scanned >= SCAN_BUDGET && at.compareTo(below) < 0) {
                stop = at;
            }
        }
        return answer(found, limit, Optional.empty());
    }

    /**
     * The entries an index row stands for. An entry item's are in the row; a head's are read
     * from the head. If the head has left the row's place since (its entries were copied out to
     * an entry item at that place, which the index may not show yet), that item is read too. A
     * head of a segment the listing leaves out is not read: none of its entries would pass.
     */
    private List<AuditEntry> entries(Map<String, AttributeValue> row, Predicate<SegmentKey> segments) {
        if (!AuditIndex.isHead(row)) {
            return AuditEntry.of(row);
        }
        String at = string(row, Table.AUDIT_AT);
        SegmentKey segment = AuditEntry.segmentOf(at);
        if (!segments.test(segment)) {
            return List.of();
        }
        Map<String, AttributeValue> head = HeadItem.read(db, table, segment);
        List<AuditEntry> found = new ArrayList<>();
        if (head != null) {
            found.addAll(AuditEntry.of(head));
        }
        if (head == null || !at.equals(string(head, Table.AUDIT_AT))) {
            found.addAll(entries.copiedFrom(segment, at));
        }
        return found;
    }

    /** The entry with this id, if it exists and is within the retention. */
    public Optional<AuditEntry> find(String id, long now) {
        Optional<String> sortKey = AuditEntry.sortKeyOf(id);
        if (sortKey.isEmpty() || sortKey.get().compareTo(AuditEntry.timeBound(now - retentionMillis)) < 0) {
            return Optional.empty();
        }
        SegmentKey segment = AuditEntry.segmentOf(sortKey.get());
        Optional<AuditEntry> copied = entries.find(segment, sortKey.get());
        if (copied.isPresent()) {
            return copied;
        }
        Map<String, AttributeValue> head = HeadItem.read(db, table, segment);
        return head == null ? Optional.empty()
                : AuditEntry.of(head).stream().filter(e -> e.sortKey().equals(sortKey.get())).findFirst();
    }

    /** Index rows (or one segment's entry items) below {@code below}, newest first. */
    private Iterator<Map<String, AttributeValue>> rows(Optional<SegmentKey> segment, String below) {
        if (segment.isPresent()) {
            return db.queryPaginator(q -> q.tableName(table).consistentRead(true).scanIndexForward(false)
                            .keyConditionExpression("pk = :pk AND sk < :below")
                            .expressionAttributeValues(Map.of(":pk", s(AuditEntry.partition(segment.get())), ":below", s(below))))
                    .items().iterator();
        }
        return AuditIndex.newestFirst(db, table, AuditIndex.reach(below));
    }

    private static void collect(List<AuditEntry> entries, String from, String below, Predicate<AuditEntry> filter,
            TreeMap<String, AuditEntry> found) {
        for (AuditEntry entry : entries) {
            String key = entry.sortKey();
            if (key.compareTo(from) >= 0 && key.compareTo(below) < 0 && filter.test(entry)) {
                found.put(key, entry);
            }
        }
    }

    private static Page answer(TreeMap<String, AuditEntry> found, int limit, Optional<String> scanStoppedAt) {
        List<AuditEntry> entries = new ArrayList<>(found.values());
        if (entries.size() > limit) {
            List<AuditEntry> page = List.copyOf(entries.subList(0, limit));
            return new Page(page, Optional.of(page.get(limit - 1).sortKey()));
        }
        return new Page(entries, scanStoppedAt);
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
