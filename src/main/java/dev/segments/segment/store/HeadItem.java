package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.n;
import static dev.segments.dynamo.Attributes.number;
import static dev.segments.dynamo.Attributes.s;
import static dev.segments.dynamo.Attributes.string;
import static dev.segments.dynamo.Attributes.stringList;
import static dev.segments.dynamo.Attributes.strings;

import dev.segments.dynamo.Table;
import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.TargetRef;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A segment's head item: {@code pk = SEGMENTS#<project>#<environment>}, {@code sk = <segment>}.
 * Details, {@code version}, {@code incarnation} (new for every create, so a re-created segment
 * never sees its predecessor's items), the bucket count, either the targets inline
 * ({@code data}) or the ids of the chunks that hold them ({@code chunks}) with the targets
 * that differ from them ({@code patch}) and the chunks pending for those ({@code pending},
 * {@code <bucket>:<id>}, see {@link Chunks}), the changes of its
 * recent commits not yet copied out ({@code held}, see {@link AuditEntries#held}; the audit
 * index holds the head at the oldest of them), and the due-index attributes while a
 * removal is scheduled. A deleted segment's head is a tombstone ({@code deleted}) holding the
 * deletion's entry.
 */
final class HeadItem {

    private static final String PENDING_SEPARATOR = ":";

    private HeadItem() {
    }

    static String pk(String projectKey, String environmentKey) {
        return "SEGMENTS#" + projectKey + "#" + environmentKey;
    }

    static String pk(SegmentKey key) {
        return pk(key.projectKey(), key.environmentKey());
    }

    static Map<String, AttributeValue> key(SegmentKey segment) {
        return dev.segments.dynamo.Attributes.key(pk(segment), segment.key());
    }

    /** The head item, live or tombstone, read consistently; null if there is none. */
    static Map<String, AttributeValue> read(DynamoDbClient db, String table, SegmentKey segment) {
        Map<String, AttributeValue> head = db.getItem(g -> g.tableName(table).consistentRead(true).key(key(segment))).item();
        return head == null || head.isEmpty() ? null : head;
    }

    /** The head of a live segment whose targets are laid out as {@code chunks} says, holding the entries of its recent commits. */
    static Map<String, AttributeValue> live(Segment segment, String incarnation, Chunks.Plan chunks, List<AuditEntry> held) {
        SegmentKey key = segment.key();
        Map<String, AttributeValue> head = new LinkedHashMap<>(key(key));
        head.put("name", s(segment.name()));
        if (segment.description() != null) {
            head.put("description", s(segment.description()));
        }
        head.put("tags", strings(segment.tags()));
        head.put("creationDate", n(segment.creationDate()));
        head.put("lastModifiedDate", n(segment.lastModifiedDate()));
        head.put("version", n(segment.version()));
        Chunks.Placed placed = chunks.placed();
        head.put("buckets", n(placed.bucketCount()));
        if (placed.chunkIds().isEmpty()) {
            head.put("data", s(chunks.inline()));
        } else {
            head.put("chunks", strings(placed.chunkIds()));
        }
        if (!placed.patch().isEmpty()) {
            head.put("patch", s(placed.patch().encoded()));
        }
        if (!placed.pending().isEmpty()) {
            List<String> pending = new ArrayList<>();
            placed.pending().forEach((bucket, id) -> pending.add(bucket + PENDING_SEPARATOR + id));
            head.put("pending", strings(pending));
        }
        record(head, held);
        segment.nextExpiry().ifPresent(due -> DueIndex.place(head, key, due));
        return head;
    }

    /** The tombstone of a deleted segment, holding the deletion's entry, until {@code ttl} (epoch seconds). */
    static Map<String, AttributeValue> tombstone(AuditEntry deletion, long ttl) {
        Map<String, AttributeValue> tombstone = new LinkedHashMap<>(key(deletion.segment()));
        tombstone.put("deleted", AttributeValue.fromBool(true));
        tombstone.put("version", n(deletion.change().version()));
        record(tombstone, List.of(deletion));
        tombstone.put(Table.TTL, n(ttl));
        return tombstone;
    }

    /**
     * Makes a head hold the changes of its recent commits, and places it in the audit index at
     * the oldest of them, where it stays while later commits add theirs: a listing reads the
     * head when it meets it there (see {@link AuditIndex}).
     */
    private static void record(Map<String, AttributeValue> head, List<AuditEntry> held) {
        AuditEntry.holding(head, AuditEntry.HELD, held);
        AuditEntry oldest = AuditEntry.oldest(held);
        AuditIndex.place(head, oldest.segment(), oldest.sortKey());
    }

    static boolean isTombstone(Map<String, AttributeValue> head) {
        return head.containsKey("deleted");
    }

    static boolean isLive(Map<String, AttributeValue> head) {
        return head != null && !isTombstone(head);
    }

    static String incarnation(Map<String, AttributeValue> head) {
        return string(head, "incarnation");
    }

    static long version(Map<String, AttributeValue> head) {
        return number(head, "version");
    }

    /** The chunks a head names; none for an inline or missing head or a tombstone. */
    static List<String> chunkIds(Map<String, AttributeValue> head) {
        return head == null ? List.of() : stringList(head, "chunks");
    }

    static Patch patch(Map<String, AttributeValue> head) {
        return Patch.decode(string(head, "patch"));
    }

    /** The chunks pending for the buckets of a head's patch, by bucket (see {@link Chunks}). */
    static Map<Integer, String> pending(Map<String, AttributeValue> head) {
        Map<Integer, String> pending = new TreeMap<>();
        if (head != null) {
            for (String entry : stringList(head, "pending")) {
                int separator = entry.indexOf(PENDING_SEPARATOR);
                pending.put(Integer.parseInt(entry.substring(0, separator)), entry.substring(separator + 1));
            }
        }
        return pending;
    }

    /** Every chunk a head refers to, named or pending: none of them may be retired. */
    static List<String> referencedChunks(Map<String, AttributeValue> head) {
        List<String> ids = new ArrayList<>(chunkIds(head));
        ids.addAll(pending(head).values());
        return ids;
    }

    static String inlineData(Map<String, AttributeValue> head) {
        return string(head, "data");
    }

    static SegmentKey keyOf(Map<String, AttributeValue> head) {
        return new SegmentKey(string(head, "project"), string(head, "environment"), string(head, "sk"));
    }

    /** The segment a live head describes, with its targets from {@code buckets}. */
    static Segment segment(Map<String, AttributeValue> head, List<Bucket> buckets) {
        return segment(head, targets(buckets), schedules(buckets));
    }

    /** The segment a live head describes, with these targets and schedules. */
    static Segment segment(Map<String, AttributeValue> head, Set<TargetRef> targets, Map<TargetRef, ExpiringTarget> schedules) {
        return new Segment(keyOf(head), string(head, "name"), string(head, "description"), stringList(head, "tags"),
                number(head, "creationDate"), number(head, "lastModifiedDate"), version(head), targets, schedules);
    }

    // The buckets hold disjoint parts of one segment; these views let the segment copy them once.

    private static Set<TargetRef> targets(List<Bucket> buckets) {
        int size = buckets.stream().mapToInt(bucket -> bucket.targets().size()).sum();
        return new AbstractSet<>() {
            @Override
            public Iterator<TargetRef> iterator() {
                return buckets.stream().flatMap(bucket -> bucket.targets().stream()).iterator();
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    private static Map<TargetRef, ExpiringTarget> schedules(List<Bucket> buckets) {
        int size = buckets.stream().mapToInt(bucket -> bucket.schedules().size()).sum();
        Set<Map.Entry<TargetRef, ExpiringTarget>> entries = new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<TargetRef, ExpiringTarget>> iterator() {
                return buckets.stream().flatMap(bucket -> bucket.schedules().entrySet().stream()).iterator();
            }

            @Override
            public int size() {
                return size;
            }
        };
        return new AbstractMap<>() {
            @Override
            public Set<Map.Entry<TargetRef, ExpiringTarget>> entrySet() {
                return entries;
            }
        };
    }
}
