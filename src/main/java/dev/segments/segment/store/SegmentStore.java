package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.key;
import static dev.segments.dynamo.Attributes.n;
import static dev.segments.dynamo.Attributes.number;
import static dev.segments.dynamo.Attributes.s;
import static dev.segments.dynamo.Attributes.string;
import static dev.segments.dynamo.Attributes.stringList;
import static dev.segments.dynamo.Attributes.strings;

import dev.segments.dynamo.Backoff;
import dev.segments.dynamo.Table;
import dev.segments.ops.RequestRecord;
import dev.segments.segment.Actor;
import dev.segments.segment.Change;
import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.Revision;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentSummary;
import dev.segments.segment.TargetRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Segments in DynamoDB.
 *
 * <ul>
 * <li>Head: {@code pk = SEGMENTS#<project>#<environment>}, {@code sk = <segment>}. Details,
 * {@code version}, {@code incarnation} (new for every create, so a re-created segment never
 * sees its predecessor's items, and prefixed by its environment's id, see
 * {@link EnvironmentScope}), the bucket count, either the targets inline ({@code data})
 * or the ids of the chunks that hold them ({@code chunks}), recent {@code history}, and the
 * due-index attributes while a removal is scheduled.</li>
 * <li>Chunk: {@code pk = CHUNK#<project>#<environment>#<segment>}, {@code sk = <uuid>}. Never
 * changed once written; given a {@code ttl} when no head refers to it any more.</li>
 * <li>Audit entry: {@code pk = AUDIT#<project>#<environment>#<segment>}, {@code sk} = the
 * entry's sort key (see {@link AuditEntry}): one committed change, with a {@code ttl}.</li>
 * </ul>
 *
 * Every change commits with one PutItem of the head conditioned on the version and incarnation
 * it was computed from; the head carries the changes of that commit as its {@code history},
 * so no change is ever stored without its audit entry, nor an entry without its change. The
 * next commit first copies them out as entry items (they are committed, so a racing writer
 * copies the same ones). Chunks and entry items are written before the head and are invisible
 * or already true until it succeeds, so a failure at any point leaves the segment as it was.
 * A deleted segment leaves a tombstone head ({@code deleted}) holding the deletion's entry.
 */
@ApplicationScoped
public class SegmentStore {

    /**
     * Attempts before giving up with {@link WriteConflict}. With full-jitter backoff capped at
     * 100 ms this bounds a request to about two seconds of waiting, and lets 16 writers on one
     * segment all get through.
     */
    static final int MAX_ATTEMPTS = 40;
    static final int DUE_SHARDS = 16;
    /** How long readers that loaded an old head may still fetch its chunks. */
    static final long SUPERSEDED_GRACE_SECONDS = 3600;

    private static final Logger LOG = Logger.getLogger(SegmentStore.class);

    private final DynamoDbClient db;
    private final String table;
    private final Layout layout = Layout.DEFAULT;
    private final long retentionSeconds;
    private final EnvironmentScope scope;

    public SegmentStore(Table table, @ConfigProperty(name = AuditEntry.RETENTION_DAYS) int retentionDays) {
        this.db = table.client();
        this.table = table.name();
        this.retentionSeconds = retentionDays * 86_400L;
        this.scope = new EnvironmentScope(db, this.table);
    }

    /** A segment as the store read it, with what a write needs to know about its items. */
    record Stored(Segment segment, String incarnation, List<String> chunkIds, List<String> buckets, List<AuditEntry> latest) {
    }

    /** A function of the stored segment that may refuse with a checked exception. */
    @FunctionalInterface
    public interface Mutation<T, X extends Exception> {
        T apply(Segment stored) throws X;
    }

    public Optional<Segment> find(SegmentKey key) {
        return load(key).map(Stored::segment);
    }

    /**
     * The details of every segment of an environment, in key order, read without their targets
     * (a projection of the heads), so that a list can sort, filter and count them all and then
     * load only the segments of its page.
     */
    public List<SegmentSummary> summaries(String projectKey, String environmentKey) {
        List<SegmentSummary> summaries = new ArrayList<>();
        Optional<String> environmentId = scope.environmentId(projectKey, environmentKey);
        db.queryPaginator(q -> q.tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .filterExpression("attribute_not_exists(deleted)")
                        .projectionExpression("#sk, #name, #description, #tags, #created, #modified, #incarnation")
                        .expressionAttributeNames(Map.of("#sk", Table.SK, "#name", "name", "#description", "description",
                                "#tags", "tags", "#created", "creationDate", "#modified", "lastModifiedDate",
                                "#incarnation", "incarnation"))
                        .expressionAttributeValues(Map.of(":pk", s(headPk(projectKey, environmentKey)))))
                .items().forEach(head -> {
                    if (environmentId.filter(id -> EnvironmentScope.belongsTo(string(head, "incarnation"), id)).isPresent()) {
                        summaries.add(new SegmentSummary(new SegmentKey(projectKey, environmentKey, string(head, "sk")),
                                string(head, "name"), string(head, "description"), stringList(head, "tags"),
                                number(head, "creationDate"), number(head, "lastModifiedDate")));
                    }
                });
        return summaries;
    }

    /**
     * Every recorded change of the segment's current incarnation, oldest first, from its
     * creation on, as long as DynamoDB's TTL has not deleted it after the audit retention.
     */
    public List<Change> history(SegmentKey key) {
        Map<String, AttributeValue> head = readHead(key);
        if (head == null || isTombstone(head)) {
            return List.of();
        }
        String incarnation = string(head, "incarnation");
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

    /**
     * Segments whose earliest scheduled removal is due by {@code now}, found through the sparse
     * {@code due} index, shard by shard, without a scan. The index is eventually consistent and
     * second-grained, so callers re-read each segment and carry out only what is really due.
     */
    public List<SegmentKey> due(long now) {
        List<SegmentKey> due = new ArrayList<>();
        for (int shard = 0; shard < DUE_SHARDS; shard++) {
            String shardKey = dueShard(shard);
            db.queryPaginator(q -> q.tableName(table).indexName(Table.DUE_INDEX)
                            .keyConditionExpression("#shard = :shard AND #at <= :now")
                            .expressionAttributeNames(Map.of("#shard", Table.DUE_SHARD, "#at", Table.DUE_AT))
                            .expressionAttributeValues(Map.of(":shard", s(shardKey), ":now", n(Math.floorDiv(now, 1000L)))))
                    .items().forEach(item -> {
                        String[] parts = string(item, Table.PK).split("#", 3);
                        due.add(new SegmentKey(parts[1], parts[2], string(item, Table.SK)));
                    });
        }
        return due;
    }

    /**
     * Creates the segment in its environment's current incarnation, recording {@code creation}
     * as its first change; {@link AlreadyExists} if one with its key exists, false if its
     * environment does not. A deleted predecessor's last entry is kept in the audit log.
     */
    public boolean create(Segment segment, Change creation) {
        SegmentKey key = segment.key();
        EnvironmentScope.Read read = scope.read(key);
        if (read.environmentId().isEmpty()) {
            return false;
        }
        String incarnation = EnvironmentScope.incarnation(read.environmentId().get());
        Map<String, AttributeValue> head = head(segment, incarnation, 1, List.of(), "[]", List.of(creation));
        HeadSize.require(head, key);
        Map<String, AttributeValue> existing = read.visibleHead();
        PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(head);
        if (existing == null) {
            put.conditionExpression("attribute_not_exists(pk)");
        } else if (isTombstone(existing)) {
            writeAll(entryItems(AuditEntry.of(existing)));
            put.conditionExpression("deleted = :deleted AND incarnation = :incarnation").expressionAttributeValues(Map.of(
                    ":deleted", AttributeValue.fromBool(true), ":incarnation", s(string(existing, "incarnation"))));
        } else {
            throw alreadyExists(key);
        }
        try {
            db.putItem(put.build());
        } catch (ConditionalCheckFailedException exists) {
            throw alreadyExists(key);
        }
        return true;
    }

    /**
     * Deletes the segment and, with it, its schedules; its head becomes a tombstone holding the
     * deletion's audit entry. False if there was no segment.
     */
    public boolean delete(SegmentKey key, long now, Actor actor) {
        return tombstone(key, this::readHead, version -> Change.deletion(version, now, actor));
    }

    /**
     * Makes the head {@code read} finds a tombstone holding the change {@code deletion} makes of
     * its version; false if it finds no live head. {@link LeftoverSegments} reads the heads of
     * deleted environments, which {@link #readHead} no longer shows.
     */
    boolean tombstone(SegmentKey key, Function<SegmentKey, Map<String, AttributeValue>> read, LongFunction<Change> deletionOf) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> old = read.apply(key);
            if (old == null || isTombstone(old)) {
                return false;
            }
            writeAll(entryItems(AuditEntry.of(old)));
            long version = number(old, "version");
            String incarnation = string(old, "incarnation");
            Change deletion = deletionOf.apply(version);
            Map<String, AttributeValue> tombstone = new LinkedHashMap<>(key(headPk(key), key.key()));
            tombstone.put("deleted", AttributeValue.fromBool(true));
            tombstone.put("version", n(deletion.version()));
            record(tombstone, key, incarnation, List.of(deletion));
            tombstone.put(Table.TTL, n(deletion.at() / 1000 + retentionSeconds));
            try {
                db.putItem(p -> p.tableName(table).item(tombstone)
                        .conditionExpression("version = :version AND incarnation = :incarnation")
                        .expressionAttributeValues(Map.of(":version", n(version), ":incarnation", s(incarnation))));
            } catch (ConditionalCheckFailedException lost) {
                Backoff.pause(attempt);
                continue;
            }
            retire(key, stringList(old, "chunks"));
            return true;
        }
        throw new WriteConflict("The segment \"" + key.key() + "\" kept changing under concurrent writers, and "
                + MAX_ATTEMPTS + " attempts to delete it lost the race. Nothing was changed; try again.");
    }

    /**
     * Applies {@code mutation} to the stored segment and commits the revision it yields, if that
     * changed anything. On a lost race it reads again and re-applies, with jittered backoff.
     * Empty if the segment does not exist.
     */
    public <T, X extends Exception> Optional<T> update(SegmentKey key, Mutation<T, X> mutation,
            Function<T, Revision> revisionOf) throws X {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<Stored> loaded = load(key);
            if (loaded.isEmpty()) {
                return Optional.empty();
            }
            T result = mutation.apply(loaded.get().segment());
            Revision revision = revisionOf.apply(result);
            if (!revision.changed() || commit(loaded.get(), revision)) {
                return Optional.of(result);
            }
            RequestRecord.current().ifPresent(RequestRecord::writeRetried);
            Backoff.pause(attempt);
        }
        throw new WriteConflict("The segment \"" + key.key() + "\" kept changing under concurrent writers, and "
                + MAX_ATTEMPTS + " attempts to apply this request lost the race. Nothing was changed; try again.");
    }

    private Optional<Stored> load(SegmentKey key) {
        Map<String, AttributeValue> head = readHead(key);
        if (head == null || isTombstone(head)) {
            return Optional.empty();
        }
        return Optional.of(fromHead(head));
    }

    /** The head item, live or tombstone; null if there is none, or it belongs to a deleted environment. */
    private Map<String, AttributeValue> readHead(SegmentKey key) {
        return scope.read(key).visibleHead();
    }

    private static boolean isTombstone(Map<String, AttributeValue> head) {
        return head.containsKey("deleted");
    }

    private Stored fromHead(Map<String, AttributeValue> head) {
        SegmentKey key = keyOf(head);
        List<String> chunkIds = stringList(head, "chunks");
        List<String> buckets = chunkIds.isEmpty() ? List.of(string(head, "data")) : readChunks(key, chunkIds);
        Set<TargetRef> targets = new HashSet<>();
        Map<TargetRef, ExpiringTarget> schedules = new HashMap<>();
        buckets.forEach(bucket -> SegmentCodec.decodeTargets(bucket, targets, schedules));
        Segment segment = new Segment(key, string(head, "name"), string(head, "description"), stringList(head, "tags"),
                number(head, "creationDate"), number(head, "lastModifiedDate"), number(head, "version"), targets, schedules);
        return new Stored(segment, string(head, "incarnation"), chunkIds, buckets, AuditEntry.of(head));
    }

    private List<String> readChunks(SegmentKey key, List<String> chunkIds) {
        Map<String, String> byId = new HashMap<>();
        List<Map<String, AttributeValue>> pending = new ArrayList<>();
        for (String id : chunkIds) {
            pending.add(key(chunkPk(key), id));
        }
        int round = 0;
        while (!pending.isEmpty()) {
            // BatchGetItem takes at most 100 keys a call.
            List<Map<String, AttributeValue>> batch = new ArrayList<>(pending.subList(0, Math.min(100, pending.size())));
            pending.subList(0, batch.size()).clear();
            BatchGetItemResponse response = db.batchGetItem(b -> b.requestItems(
                    Map.of(table, KeysAndAttributes.builder().keys(batch).consistentRead(true).build())));
            for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                byId.put(string(item, "sk"), string(item, "data"));
            }
            KeysAndAttributes unprocessed = response.unprocessedKeys().get(table);
            if (unprocessed != null && unprocessed.hasKeys()) {
                pending.addAll(unprocessed.keys());
                Backoff.pause(++round);
            }
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

    /** Writes the revision; false if another writer committed first. */
    private boolean commit(Stored stored, Revision revision) {
        Segment segment = revision.segment();
        SegmentKey key = segment.key();
        int bucketCount = stored.chunkIds().isEmpty() ? 1 : stored.chunkIds().size();
        List<String> buckets = SegmentCodec.encodeBuckets(segment, bucketCount);
        if (!layout.fits(bucketCount, total(buckets), largest(buckets))) {
            bucketCount = layout.bucketsFor(total(buckets));
            buckets = SegmentCodec.encodeBuckets(segment, bucketCount);
            while (bucketCount > 1 && largest(buckets) > layout.chunkLimit()) {
                bucketCount *= 2;
                buckets = SegmentCodec.encodeBuckets(segment, bucketCount);
            }
        }

        List<WriteRequest> writes = new ArrayList<>();
        List<String> chunkIds = new ArrayList<>();
        List<String> written = new ArrayList<>();
        if (bucketCount > 1) {
            boolean sameLayout = stored.chunkIds().size() == bucketCount;
            for (int i = 0; i < bucketCount; i++) {
                if (sameLayout && buckets.get(i).equals(stored.buckets().get(i))) {
                    chunkIds.add(stored.chunkIds().get(i));
                } else {
                    String id = UUID.randomUUID().toString();
                    Map<String, AttributeValue> chunk = key(chunkPk(key), id);
                    chunk.put("data", s(buckets.get(i)));
                    writes.add(put(chunk));
                    chunkIds.add(id);
                    written.add(id);
                }
            }
        }

        Map<String, AttributeValue> head = head(segment, stored.incarnation(), bucketCount, chunkIds,
                bucketCount == 1 ? buckets.get(0) : null, revision.changes());
        HeadSize.require(head, key);
        writes.addAll(entryItems(stored.latest()));
        writeAll(writes);

        try {
            db.putItem(p -> p.tableName(table).item(head)
                    .conditionExpression("version = :version AND incarnation = :incarnation")
                    .expressionAttributeValues(Map.of(
                            ":version", n(stored.segment().version()),
                            ":incarnation", s(stored.incarnation()))));
        } catch (ConditionalCheckFailedException lost) {
            retire(key, written);
            return false;
        }
        List<String> superseded = new ArrayList<>(stored.chunkIds());
        superseded.removeAll(chunkIds);
        retire(key, superseded);
        return true;
    }

    private Map<String, AttributeValue> head(Segment segment, String incarnation, int bucketCount, List<String> chunkIds,
            String inlineData, List<Change> latest) {
        SegmentKey key = segment.key();
        Map<String, AttributeValue> head = new LinkedHashMap<>(key(headPk(key), key.key()));
        head.put("name", s(segment.name()));
        if (segment.description() != null) {
            head.put("description", s(segment.description()));
        }
        head.put("tags", strings(segment.tags()));
        head.put("creationDate", n(segment.creationDate()));
        head.put("lastModifiedDate", n(segment.lastModifiedDate()));
        head.put("version", n(segment.version()));
        head.put("incarnation", s(incarnation));
        head.put("buckets", n(bucketCount));
        if (inlineData != null) {
            head.put("data", s(inlineData));
        } else {
            head.put("chunks", strings(chunkIds));
        }
        record(head, key, incarnation, latest);
        segment.nextExpiry().ifPresent(due -> {
            head.put(Table.DUE_SHARD, s(dueShard(Math.floorMod((headPk(key) + "#" + key.key()).hashCode(), DUE_SHARDS))));
            head.put(Table.DUE_AT, n(Math.floorDiv(due, 1000L)));
        });
        return head;
    }

    /**
     * Makes a head hold the changes of its commit and places it in the audit index at the
     * oldest of them, so that paging below any of them still reaches it.
     */
    private static void record(Map<String, AttributeValue> head, SegmentKey key, String incarnation, List<Change> latest) {
        AuditEntry.locate(head, key, incarnation);
        head.put("history", s(SegmentCodec.encodeHistory(latest)));
        AuditEntry.indexAt(head, new AuditEntry(key, incarnation, latest.get(0)).sortKey());
    }

    private List<WriteRequest> entryItems(List<AuditEntry> entries) {
        return entries.stream().map(entry -> put(entry.item(retentionSeconds))).toList();
    }

    private static AlreadyExists alreadyExists(SegmentKey key) {
        return new AlreadyExists("A segment with key \"" + key.key() + "\" already exists in environment \""
                + key.environmentKey() + "\" of project \"" + key.projectKey() + "\". Choose another key.");
    }

    private void writeAll(List<WriteRequest> writes) {
        List<WriteRequest> pending = new ArrayList<>(writes);
        int round = 0;
        while (!pending.isEmpty()) {
            // BatchWriteItem takes at most 25 items a call.
            List<WriteRequest> batch = new ArrayList<>(pending.subList(0, Math.min(25, pending.size())));
            pending.subList(0, batch.size()).clear();
            BatchWriteItemResponse response = db.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
            List<WriteRequest> unprocessed = response.unprocessedItems().get(table);
            if (unprocessed != null && !unprocessed.isEmpty()) {
                pending.addAll(unprocessed);
                Backoff.pause(++round);
            }
        }
    }

    /** Lets DynamoDB delete chunks no head refers to, after readers of the old head are done. */
    private void retire(SegmentKey key, List<String> chunkIds) {
        long expiresAt = System.currentTimeMillis() / 1000 + SUPERSEDED_GRACE_SECONDS;
        for (String id : chunkIds) {
            try {
                db.updateItem(u -> u.tableName(table).key(key(chunkPk(key), id))
                        .updateExpression("SET #ttl = :ttl")
                        .conditionExpression("attribute_exists(pk)")
                        .expressionAttributeNames(Map.of("#ttl", Table.TTL))
                        .expressionAttributeValues(Map.of(":ttl", n(expiresAt))));
            } catch (SdkException e) {
                // Only cleanup: an unretired chunk costs storage, never correctness.
                LOG.warnf("Could not retire chunk %s of segment %s: %s", id, key.key(), e.getMessage());
            }
        }
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    private static long total(List<String> buckets) {
        return buckets.stream().mapToLong(SegmentStore::utf8).sum();
    }

    private static long largest(List<String> buckets) {
        return buckets.stream().mapToLong(SegmentStore::utf8).max().orElse(0);
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static SegmentKey keyOf(Map<String, AttributeValue> head) {
        return new SegmentKey(string(head, "project"), string(head, "environment"), string(head, "sk"));
    }

    private static String dueShard(int shard) {
        return "due#" + shard;
    }

    static String headPk(String projectKey, String environmentKey) {
        return "SEGMENTS#" + projectKey + "#" + environmentKey;
    }

    static String headPk(SegmentKey key) {
        return headPk(key.projectKey(), key.environmentKey());
    }

    private static String chunkPk(SegmentKey key) {
        return "CHUNK#" + key.projectKey() + "#" + key.environmentKey() + "#" + key.key();
    }
}
