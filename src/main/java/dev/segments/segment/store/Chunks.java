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
import dev.segments.segment.TargetRef;
import dev.segments.web.AppClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The chunk layout: a segment whose targets encode to more than fits in its head keeps them
 * in chunk items, {@code pk = CHUNK#<project>#<environment>#<segment>}, {@code sk = <id>}, 2^n
 * of them by hash (see {@link Layout}). A chunk's data never changes, and a head names only
 * chunks known to be stored: those a commit wrote before its head, which are invisible until
 * the head's conditional write succeeds.
 *
 * <p>A commit that changes a few targets of a chunked segment writes no chunk before its head:
 * the head carries the changed targets in its patch ({@link Patch}), and the head alone holds
 * the segment. While the patch is small ({@link Layout#pendingAbove()}), that is all the commit
 * writes, as on a small segment. Past that, it also writes a chunk for each patched bucket that
 * has none pending, at the same time as the head, and lists them in the head as pending. The
 * instance that saw a pending chunk stored names it in its next commit in place of the patch's
 * entries for its bucket; a pending chunk nobody names is left behind like any other, and its
 * bucket stays in the patch until it changes again. Once the patch would pass its limit, the
 * commit writes a chunk for every bucket that differs from its chunk first, and empties the
 * patch.
 *
 * <p>A chunk no head refers to any more gets a {@code ttl} ({@link #retire}), after a grace
 * period for readers still holding the old head, and DynamoDB deletes it. The sweeper finds
 * them: every chunk is in the due index from {@link #CHECK_AFTER} after it was written (and
 * every {@link #CHECK_AGAIN} after that while a head refers to it), and is retired when no head
 * refers to it ({@link #check}), by name or as pending. That covers the chunks an applied head
 * superseded, so a commit writes only its changed chunks and its head, and what a crash leaves
 * behind (chunks written, head not). A head drops a pending chunk for good, since a commit names
 * only those of the head it is conditioned on, so one the check retires is never named later. A
 * commit known not to have been applied retires the chunks it wrote at once. A commit resolves
 * its outcome within its deadline, far shorter than {@link #CHECK_AFTER}, so a chunk of a commit
 * still in flight is never taken for one left behind.
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
    /**
     * How often a chunk a head still refers to is checked again, for when a later head
     * supersedes it: such a chunk is stored up to this much longer, which costs storage only.
     */
    static final Duration CHECK_AGAIN = Duration.ofDays(1);

    private static final int SEEN_STORED = 4096;

    private static final Logger LOG = Logger.getLogger(Chunks.class);

    private final DynamoDbClient db;
    private final String table;
    private final AppClock clock;
    private final Layout layout = Layout.DEFAULT;
    private final ChunkCache cache = new ChunkCache(ChunkCache.DEFAULT_LIMIT);
    /** Ids of chunks this instance wrote and saw stored, the most recent; a patched bucket's chunk may be named once here. */
    private final Map<String, Boolean> seenStored = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_STORED;
        }
    };
    /** Per instance, not static, so that a native image seeds it at run time (as {@code Ids}). */
    private final SecureRandom random = new SecureRandom();

    Chunks(DynamoDbClient db, String table, AppClock clock) {
        this.db = db;
        this.table = table;
        this.clock = clock;
    }

    /**
     * How a segment's targets are stored: the chunks its head names (none when inline) and
     * their buckets decoded, the head's patch over them, the chunks written for its patched
     * buckets (by bucket) that a later commit may name once they are known to be stored, and
     * the buckets the segment holds: the chunks' as patched, or the inline one.
     */
    record Placed(List<String> chunkIds, List<Bucket> chunks, Patch patch, Map<Integer, String> pending, List<Bucket> buckets) {

        static Placed inline(Bucket bucket) {
            return new Placed(List.of(), List.of(), Patch.NONE, Map.of(), List.of(bucket));
        }

        /** As a head holds them, its chunks decoded. */
        static Placed of(List<String> chunkIds, List<Bucket> chunks, Patch patch, Map<Integer, String> pending) {
            return new Placed(chunkIds, chunks, patch, pending, patch.apply(chunks));
        }

        int bucketCount() {
            return buckets.size();
        }
    }

    /**
     * How a segment's targets are laid out for one commit: how they will be stored, the targets
     * encoded inline (null when in chunks), the chunk items to write before the head, those to
     * write along with it (the patched buckets' chunks, which the head does not need), and the
     * ids of all of them.
     */
    record Plan(Placed placed, String inline, List<WriteRequest> before, List<WriteRequest> alongside, List<String> written) {
    }

    /** A new segment: its targets inline in its head. */
    static Plan inline(Segment segment) {
        Encoded encoded = encode(segment, 1, List.of(), null);
        return new Plan(Placed.inline(encoded.buckets().get(0)), encoded.data().get(0), List.of(), List.of(), List.of());
    }

    /**
     * The layout of {@code segment}, starting from the stored one: the same bucket count while
     * it fits, unchanged buckets keeping their chunks without being encoded again. With
     * {@code touched}, the targets that may differ between the stored segment and this one
     * (null if that is not known), only the buckets they fall in are compared; the others
     * cannot have changed. A chunked segment's changes go into the head's patch while it stays
     * within its limit, so that the changed chunks need not be stored before the head is
     * written: the commit sends them together.
     */
    Plan plan(Segment segment, Placed stored, Set<TargetRef> touched) {
        int bucketCount = stored.bucketCount();
        Encoded encoded = stored.chunkIds().isEmpty() ? encode(segment, bucketCount, List.of(), null)
                : encode(segment, bucketCount, stored.buckets(), touched);
        if (!layout.fits(bucketCount, encoded.total(), encoded.largest())) {
            bucketCount = layout.bucketsFor(encoded.total());
            encoded = encode(segment, bucketCount, List.of(), null);
            while (bucketCount > 1 && encoded.largest() > layout.chunkLimit()) {
                bucketCount *= 2;
                encoded = encode(segment, bucketCount, List.of(), null);
            }
        } else if (bucketCount > 1) {
            Optional<Plan> patched = patched(segment.key(), stored, encoded);
            if (patched.isPresent()) {
                return patched.get();
            }
            // More than a head carries: every bucket that differs from its chunk gets a chunk of its own, written first.
            Set<TargetRef> differing = null;
            if (touched != null) {
                differing = new HashSet<>(touched);
                differing.addAll(stored.patch().targets());
            }
            encoded = encode(segment, bucketCount, stored.chunks(), differing);
        }
        if (bucketCount == 1) {
            return new Plan(Placed.inline(encoded.buckets().get(0)), encoded.data().get(0), List.of(), List.of(), List.of());
        }
        List<WriteRequest> writes = new ArrayList<>();
        List<String> chunkIds = new ArrayList<>();
        List<String> written = new ArrayList<>();
        long now = clock.millis();
        for (int i = 0; i < bucketCount; i++) {
            String data = encoded.data().get(i);
            if (data == null) {
                chunkIds.add(stored.chunkIds().get(i));
                continue;
            }
            String id = chunk(segment.key(), data, encoded.buckets().get(i), now, writes);
            chunkIds.add(id);
            written.add(id);
        }
        return new Plan(new Placed(chunkIds, encoded.buckets(), Patch.NONE, Map.of(), encoded.buckets()), null, writes, List.of(),
                written);
    }

    /**
     * The commit that carries the changed buckets ({@code encoded}) in the head's patch; none
     * if the patch would pass its limit. A pending chunk this instance saw stored takes the
     * place of its bucket's entries in the patch; the others stay pending while their bucket
     * does not change. A patch past {@link Layout#pendingAbove()} gets a chunk, written along
     * with the head, for each of its buckets that has none pending.
     */
    private Optional<Plan> patched(SegmentKey key, Placed stored, Encoded encoded) {
        int bucketCount = stored.bucketCount();
        List<String> chunkIds = new ArrayList<>(stored.chunkIds());
        List<Bucket> chunks = new ArrayList<>(stored.chunks());
        Set<Integer> named = new HashSet<>();
        Map<Integer, String> pending = new TreeMap<>();
        for (Map.Entry<Integer, String> candidate : stored.pending().entrySet()) {
            int bucket = candidate.getKey();
            Bucket chunk = storedChunk(candidate.getValue());
            if (chunk != null) {
                chunkIds.set(bucket, candidate.getValue());
                chunks.set(bucket, chunk);
                named.add(bucket);
            } else if (encoded.data().get(bucket) == null) {
                pending.put(bucket, candidate.getValue());
            }
        }
        Map<Integer, Bucket> changed = new TreeMap<>();
        for (int i = 0; i < bucketCount; i++) {
            if (encoded.data().get(i) != null) {
                changed.put(i, encoded.buckets().get(i));
            }
        }
        Patch patch = stored.patch().without(named, bucketCount).over(changed, chunks);
        if (patch.bytes() > layout.patchLimit()) {
            return Optional.empty();
        }
        List<WriteRequest> alongside = new ArrayList<>();
        List<String> written = new ArrayList<>();
        if (patch.bytes() > layout.pendingAbove()) {
            long now = clock.millis();
            for (int i : patch.buckets(bucketCount)) {
                if (!pending.containsKey(i)) {
                    Bucket bucket = encoded.buckets().get(i);
                    String data = encoded.data().get(i) != null ? encoded.data().get(i)
                            : SegmentCodec.encode(new ArrayList<>(bucket.targets()), bucket.schedules());
                    String id = chunk(key, data, bucket, now, alongside);
                    pending.put(i, id);
                    written.add(id);
                }
            }
        }
        return Optional.of(new Plan(new Placed(chunkIds, chunks, patch, pending, encoded.buckets()), null, List.of(), alongside, written));
    }

    /** A new chunk holding {@code data} ({@code bucket} decoded), added to {@code writes}; its id. */
    private String chunk(SegmentKey key, String data, Bucket bucket, long now, List<WriteRequest> writes) {
        String id = newId();
        Map<String, AttributeValue> chunk = key(pk(key), id);
        chunk.put("data", s(data));
        DueIndex.place(chunk, key, now + CHECK_AFTER.toMillis());
        writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(chunk).build()).build());
        // Only a head that this commit writes can refer to the new id, so caching it now is safe.
        cache.put(id, bucket);
        return id;
    }

    /** Records that the chunks {@code ids} are stored: a later commit of this instance may name them. */
    void sawStored(Collection<String> ids) {
        synchronized (seenStored) {
            ids.forEach(id -> seenStored.put(id, Boolean.TRUE));
        }
    }

    /** The chunk {@code id}, decoded, if this instance saw it stored and still holds it; else null. */
    private Bucket storedChunk(String id) {
        synchronized (seenStored) {
            return seenStored.containsKey(id) ? cache.get(id) : null;
        }
    }

    /**
     * A new chunk id: 96 random bits in 16 characters of URL-safe base64, where a UUID took 36.
     * The head names every chunk and every change rewrites it, so each character counts (a
     * third of a 15,000-user segment's head was UUIDs). 96 bits keep ids unique across all
     * segments too, which the cache (keyed by id alone) relies on. Ids are opaque: the UUIDs
     * of chunks written before read as they did.
     */
    private String newId() {
        byte[] bits = new byte[12];
        random.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    /**
     * A segment's targets in {@code bucketCount} buckets: each bucket's data, or null where it
     * holds what the stored bucket at its place holds (none given: every bucket is encoded),
     * its decoded form, and the sizes the layout decides by. With {@code touched} (see
     * {@link #plan}), only the stored buckets it falls in are looked at.
     */
    private record Encoded(List<String> data, List<Bucket> buckets, long total, long largest) {
    }

    private static Encoded encode(Segment segment, int bucketCount, List<Bucket> stored, Set<TargetRef> touched) {
        boolean fromTouched = touched != null && !stored.isEmpty();
        List<SegmentCodec.Group> grouped = fromTouched ? SegmentCodec.regroup(segment, stored, touched)
                : SegmentCodec.group(segment, bucketCount).stream().map(group -> new SegmentCodec.Group(group, segment.schedules())).toList();
        List<String> data = new ArrayList<>(bucketCount);
        List<Bucket> buckets = new ArrayList<>(bucketCount);
        long total = 0;
        long largest = 0;
        for (int i = 0; i < bucketCount; i++) {
            SegmentCodec.Group group = grouped.get(i);
            Bucket bucket;
            if (group == null || !stored.isEmpty() && stored.get(i).holds(group.targets(), group.schedules())) {
                bucket = stored.get(i);
                data.add(null);
            } else {
                String encoded = SegmentCodec.encode(group.targets(), group.schedules());
                bucket = SegmentCodec.bucket(group.targets(), group.schedules(), SegmentCodec.utf8Length(encoded));
                data.add(encoded);
            }
            buckets.add(bucket);
            total += bucket.bytes();
            largest = Math.max(largest, bucket.bytes());
        }
        return new Encoded(data, buckets, total, largest);
    }

    /** The chunks, decoded, in the order of {@code chunkIds}: from the cache, reading only those it lacks. */
    List<Bucket> read(SegmentKey key, List<String> chunkIds, Deadline deadline) {
        Map<String, Bucket> byId = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : chunkIds) {
            Bucket cached = cache.get(id);
            if (cached != null) {
                byId.put(id, cached);
            } else {
                keys.add(key(pk(key), id));
            }
        }
        if (!keys.isEmpty()) {
            for (Map<String, AttributeValue> item : Batches.getAll(db, table, keys, deadline)) {
                Bucket bucket = SegmentCodec.decode(string(item, "data"));
                String id = string(item, Table.SK);
                cache.put(id, bucket);
                byId.put(id, bucket);
            }
        }
        List<Bucket> buckets = new ArrayList<>(chunkIds.size());
        for (String id : chunkIds) {
            Bucket bucket = byId.get(id);
            if (bucket == null) {
                throw new IllegalStateException("Segment " + key + " refers to chunk " + id + ", which is missing");
            }
            buckets.add(bucket);
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
}
