package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.s;
import static dev.segments.dynamo.Attributes.string;

import dev.segments.dynamo.Table;
import dev.segments.ops.Deadline;
import dev.segments.segment.SegmentKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The audit index ({@code auditLog}, {@code auditAt}): every entry item, and every segment head
 * for the entries of its recent commits, at the oldest entry it holds. One partition key for a
 * whole deployment would cap every change of it at one partition's write rate (about 1,000
 * writes a second), so items spread over {@link #SHARDS} partitions by segment, and a listing
 * merges them back into one newest-first order. Sort keys name their segment, so no two entries
 * of different segments compare equal and the merged order is exact.
 *
 * <p>The index copies what an entry item holds, not what a head holds: a head stays at its
 * oldest entry while later commits add theirs, so that those commits write nothing to the index,
 * and a listing reads the head itself when it meets it. A row holds no entry more than
 * {@link #HEAD_SPAN_MILLIS} above its {@code auditAt} ({@link #settled}). Heads written before
 * this layout sit at their newest entry with their entries copied, holding none above it and
 * none more than that span below ({@link #reach}).
 */
final class AuditIndex {

    static final int SHARDS = 16;
    /** The most the entries of one head, or of one entry item, span in time ({@link AuditEntries#held}). */
    static final long HEAD_SPAN_MILLIS = 60_000;
    /** Rows a shard query fetches at a time: a page of the listing seldom needs more from one shard. */
    private static final int ROWS_PER_QUERY = 25;
    private static final ExecutorService FIRST_QUERIES = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "audit-index-shard");
        thread.setDaemon(true);
        return thread;
    });

    private AuditIndex() {
    }

    /**
     * Where to start reading rows for entries below {@code below}: a head written before heads
     * sat at their oldest entry may hold entries below {@code below} while it sorts above, but
     * never more than {@link #HEAD_SPAN_MILLIS} above.
     */
    static String reach(String below) {
        if (below.length() < 13 || !below.substring(0, 13).chars().allMatch(Character::isDigit)) {
            return below;
        }
        return AuditEntry.timeBound(Long.parseLong(below.substring(0, 13)) + HEAD_SPAN_MILLIS + 1);
    }

    /**
     * The lowest sort key above which rows sorted at or below {@code at} hold no entry: every
     * entry at or above it is known once the rows above {@code at} have been read.
     */
    static String settled(String at) {
        return AuditEntry.timeBound(Long.parseLong(at.substring(0, 13)) + HEAD_SPAN_MILLIS + 1);
    }

    /** Whether an index row is a segment head's, whose entries are read from the head. */
    static boolean isHead(Map<String, AttributeValue> row) {
        return !row.containsKey(AuditEntry.HISTORY);
    }

    /** Puts the item in the audit index at {@code sortKey}, in its segment's shard. */
    static void place(Map<String, AttributeValue> item, SegmentKey segment, String sortKey) {
        item.put(Table.AUDIT_LOG, s(shard(segment)));
        item.put(Table.AUDIT_AT, s(sortKey));
    }

    private static String shard(SegmentKey segment) {
        String name = segment.projectKey() + "#" + segment.environmentKey() + "#" + segment.key();
        return "log#" + Math.floorMod(name.hashCode(), SHARDS);
    }

    /**
     * Index rows sorted below {@code below}, newest first across all shards, read lazily. The
     * first query of every shard is needed before the first row is known, so those are sent
     * at once, in parallel.
     */
    static Iterator<Map<String, AttributeValue>> newestFirst(DynamoDbClient db, String table, String below) {
        Optional<Deadline> deadline = Deadline.current();
        List<CompletableFuture<Shard>> first = new ArrayList<>();
        for (int i = 0; i < SHARDS; i++) {
            String shard = "log#" + i;
            Shard rows = new Shard(db.queryPaginator(q -> q.tableName(table).indexName(Table.AUDIT_INDEX).scanIndexForward(false)
                            .limit(ROWS_PER_QUERY)
                            .keyConditionExpression("#log = :log AND #at < :below")
                            .expressionAttributeNames(Map.of("#log", Table.AUDIT_LOG, "#at", Table.AUDIT_AT))
                            .expressionAttributeValues(Map.of(":log", s(shard), ":below", s(below))))
                    .items().iterator());
            first.add(CompletableFuture.supplyAsync(() -> deadline.isPresent() ? deadline.get().bind(rows::advance) : rows.advance(),
                    FIRST_QUERIES).thenApply(any -> rows));
        }
        PriorityQueue<Shard> shards = new PriorityQueue<>(Comparator.comparing(Shard::next, Comparator.reverseOrder()));
        for (CompletableFuture<Shard> rows : first) {
            Shard shard;
            try {
                shard = rows.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            if (shard.row != null) {
                shards.add(shard);
            }
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !shards.isEmpty();
            }

            @Override
            public Map<String, AttributeValue> next() {
                Shard newest = shards.poll();
                if (newest == null) {
                    throw new NoSuchElementException();
                }
                Map<String, AttributeValue> row = newest.row;
                if (newest.advance()) {
                    shards.add(newest);
                }
                return row;
            }
        };
    }

    /** One shard's rows, newest first, with the one to take next in view. */
    private static final class Shard {
        private final Iterator<Map<String, AttributeValue>> rows;
        private Map<String, AttributeValue> row;

        Shard(Iterator<Map<String, AttributeValue>> rows) {
            this.rows = rows;
        }

        boolean advance() {
            row = rows.hasNext() ? rows.next() : null;
            return row != null;
        }

        String next() {
            return string(row, Table.AUDIT_AT);
        }
    }
}
