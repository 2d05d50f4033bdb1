package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.key;
import static dev.segments.dynamo.Attributes.n;
import static dev.segments.dynamo.Attributes.s;
import static dev.segments.dynamo.Attributes.string;

import dev.segments.dynamo.Batches;
import dev.segments.dynamo.Table;
import dev.segments.ops.Deadline;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import dev.segments.web.AppClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The chunk layout: a segment whose targets encode to more than fits in its head keeps them
 * in chunk items, {@code pk = CHUNK#<project>#<environment>#<segment>}, {@code sk = <uuid>}, 2^n
 * of them by hash (see {@link Layout}). A chunk's data never changes; a commit writes new
 * chunks only for the buckets whose content changed, before its head, so they are invisible
 * until the head's conditional write succeeds.
 *
 * <p>A chunk no head refers to any more gets a {@code ttl} ({@link #retire}), after a grace
 * period for readers still holding the old head, and DynamoDB deletes it. A commit retires the
 * chunks its head superseded, or, when it is known not to have been applied, the chunks it
 * wrote. What a crash leaves behind (chunks written, head not; head written, old chunks not
 * retired) the sweeper finds: every chunk is in the due index from {@link #CHECK_AFTER} after
 * it was written, and is retired then if no head refers to it ({@link #check}). A commit
 * resolves its outcome within its deadline, far shorter than that, so a chunk of a commit still
 * in flight is never taken for one left behind.
 */
final class Chunks {

    static final String PK_PREFIX = "CHUNK#";
    /** How long readers that loaded an old head may still fetch its chunks. */
    static final long SUPERSEDED_GRACE_SECONDS = 3600;
    /**
     * When a chunk is first checked for having been left behind: far beyond any commit's
     * deadline (the function's 15 s timeout), and beyond any clock difference between instances.
     */
    static final Duration CHECK_AFTER = Duration.ofMinutes(10);
    /** How often a chunk a head still refers to is checked again, should the head move on without retiring it. */
    static final Duration CHECK_AGAIN = Duration.ofDays(1);

    private static final Logger LOG = Logger.getLogger(Chunks.class);

    private final DynamoDbClient db;
    private final String table;
    private final AppClock clock;
    private final Layout layout = Layout.DEFAULT;

    Chunks(DynamoDbClient db, String table, AppClock clock) {
        this.db = db;
        this.table = table;
        this.clock = clock;
    }

    /**
     * How a segment's targets are laid out for one commit: the encoded buckets, the chunk ids
     * the head will name (none when inline), the chunk items to write first and their ids.
     */
    record Plan(int bucketCount, List<String> buckets, List<String> chunkIds, List<WriteRequest> writes, List<String> written) {
    }

    /** A new segment: its targets inline in its head. */
    static Plan inline(Segment segment) {
        return new Plan(1, SegmentCodec.encodeBuckets(segment, 1), List.of(), List.of(), List.of());
    }

    /**
     * The layout of {@code segment}, starting from the stored one ({@code storedIds},
     * {@code storedBuckets}): the same bucket count while it fits, unchanged buckets keeping
     * their chunks.
     */
    Plan plan(Segment segment, List<String> storedIds, List<String> storedBuckets) {
        int bucketCount = storedIds.isEmpty() ? 1 : storedIds.size();
        List<String> buckets = SegmentCodec.encodeBuckets(segment, bucketCount);
        if (!layout.fits(bucketCount, total(buckets), largest(buckets))) {
            bucketCount = layout.bucketsFor(total(buckets));
            buckets = SegmentCodec.encodeBuckets(segment, bucketCount);
            while (bucketCount > 1 && largest(buckets) > layout.chunkLimit()) {
                bucketCount *= 2;
                buckets = SegmentCodec.encodeBuckets(segment, bucketCount);
            }
        }
        if (bucketCount == 1) {
            return new Plan(1, buckets, List.of(), List.of(), List.of());
        }
        SegmentKey key = segment.key();
        List<WriteRequest> writes = new ArrayList<>();
        List<String> chunkIds = new ArrayList<>();
        List<String> written = new ArrayList<>();
        boolean sameLayout = storedIds.size() == bucketCount;
        long now = clock.millis();
        for (int i = 0; i < bucketCount; i++) {
            if (sameLayout && buckets.get(i).equals(storedBuckets.get(i))) {
                chunkIds.add(storedIds.get(i));
            } else {
                String id = UUID.randomUUID().toString();
                Map<String, AttributeValue> chunk = key(pk(key), id);
                chunk.put("data", s(buckets.get(i)));
                DueIndex.place(chunk, key, now + CHECK_AFTER.toMillis());
                writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(chunk).build()).build());
                chunkIds.add(id);
                written.add(id);
            }
        }
        return new Plan(bucketCount, buckets, chunkIds, writes, written);
    }

    /** The data of the chunks, in the order of {@code chunkIds}. */
    List<String> read(SegmentKey key, List<String> chunkIds, Deadline deadline) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : chunkIds) {
            keys.add(key(pk(key), id));
        }
        Map<String, String> byId = new HashMap<>();
        for (Map<String, AttributeValue> item : Batches.getAll(db, table, keys, deadline)) {
            byId.put(string(item, Table.SK), string(item, "data"));
        }
        List<String> buckets = new ArrayList<>(chunkIds.size());
        for (String id : chunkIds) {
            String data = byId.get(id);
            if (data == null) {
                throw new IllegalStateException("Segment " + key + " refers to chunk " + id + ", which is missing");
            }
            buckets.add(data);
        }
        return buckets;
    }

    /**
     * Lets DynamoDB delete chunks no head refers to, after readers of an old head are done, and
     * takes them out of the due index.
     */
    void retire(SegmentKey key, Collection<String> chunkIds) {
        long expiresAt = clock.millis() / 1000 + SUPERSEDED_GRACE_SECONDS;
        for (String id : chunkIds) {
            try {
                db.updateItem(u -> u.tableName(table).key(key(pk(key), id))
                        .updateExpression("SET #ttl = :ttl REMOVE #shard, #at")
                        .conditionExpression("attribute_exists(pk)")
                        .expressionAttributeNames(Map.of("#ttl", Table.TTL, "#shard", Table.DUE_SHARD, "#at", Table.DUE_AT))
                        .expressionAttributeValues(Map.of(":ttl", n(expiresAt))));
            } catch (ConditionalCheckFailedException gone) {
                // already deleted
            } catch (SdkException e) {
                // Only cleanup: an unretired chunk costs storage, never correctness, and the sweeper finds it.
                LOG.warnf("Could not retire chunk %s of segment %s: %s", id, key.key(), e.getMessage());
            }
        }
    }

    /**
     * The sweeper's check of chunks that are due: those the current head does not refer to
     * ({@code referenced}) were left behind and are retired; the others are checked again
     * later. How many were retired.
     */
    int check(SegmentKey key, List<String> dueIds, Collection<String> referenced) {
        List<String> orphans = new ArrayList<>();
        long later = Math.floorDiv(clock.millis() + CHECK_AGAIN.toMillis(), 1000L);
        for (String id : dueIds) {
            if (!referenced.contains(id)) {
                orphans.add(id);
                continue;
            }
            try {
                db.updateItem(u -> u.tableName(table).key(key(pk(key), id))
                        .updateExpression("SET #at = :later")
                        .conditionExpression("attribute_exists(pk) AND attribute_not_exists(#ttl)")
                        .expressionAttributeNames(Map.of("#ttl", Table.TTL, "#at", Table.DUE_AT))
                        .expressionAttributeValues(Map.of(":later", n(later))));
            } catch (ConditionalCheckFailedException retiredMeanwhile) {
                // a commit superseded and retired it since the head was read
            }
        }
        retire(key, orphans);
        return orphans.size();
    }

    static String pk(SegmentKey key) {
        return PK_PREFIX + key.projectKey() + "#" + key.environmentKey() + "#" + key.key();
    }

    private static long total(List<String> buckets) {
        return buckets.stream().mapToLong(Chunks::utf8).sum();
    }

    private static long largest(List<String> buckets) {
        return buckets.stream().mapToLong(Chunks::utf8).max().orElse(0);
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
