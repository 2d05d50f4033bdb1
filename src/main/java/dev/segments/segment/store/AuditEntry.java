package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.key;
import static dev.segments.dynamo.Attributes.n;
import static dev.segments.dynamo.Attributes.s;
import static dev.segments.dynamo.Attributes.string;

import dev.segments.dynamo.Table;
import dev.segments.segment.Change;
import dev.segments.segment.SegmentKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One committed change of one segment, as the audit log shows it.
 *
 * <p>Its sort key orders entries by time, then segment, then version; the audit index and
 * each segment's entry partition are sorted by it, and the entry's id is the sort key in
 * base64url, so an id says where its entry is stored and can serve as a paging cursor.
 * {@code commit} is the id of the commit that wrote the change (see {@link Commits}).
 */
public record AuditEntry(SegmentKey segment, String incarnation, Change change, String commit) {

    /** Days an entry is kept; DynamoDB's TTL deletes it afterwards, and reads hide it at once. */
    public static final String RETENTION_DAYS = "segments.audit.retention-days";

    /** Where an entry item holds its entries; the audit index copies it. */
    static final String HISTORY = "history";
    /** Where a segment head holds the entries of its recent commits; the audit index does not copy it. */
    static final String HELD = "held";

    private static final Pattern SORT_KEY = Pattern.compile("^(\\d{13})#([^#]+)#([^#]+)#([^#]+)#([^#]+)#(\\d{12})$");

    public String sortKey() {
        return String.format("%013d#%s#%s#%s#%s#%012d", change.at(), segment.projectKey(), segment.environmentKey(),
                segment.key(), incarnation, change.version());
    }

    public String id() {
        return idOf(sortKey());
    }

    public static String idOf(String sortKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The lowest sort key of entries made at {@code millis} or later. */
    public static String timeBound(long millis) {
        return String.format("%013d#", Math.max(0, millis));
    }

    /** The sort key an entry id stands for, if the text is one. */
    public static Optional<String> sortKeyOf(String id) {
        try {
            String sortKey = new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8);
            return SORT_KEY.matcher(sortKey).matches() ? Optional.of(sortKey) : Optional.empty();
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    static SegmentKey segmentOf(String sortKey) {
        Matcher parts = SORT_KEY.matcher(sortKey);
        if (!parts.matches()) {
            throw new IllegalArgumentException("Not an audit entry sort key: " + sortKey);
        }
        return new SegmentKey(parts.group(2), parts.group(3), parts.group(4));
    }

    static String partition(SegmentKey key) {
        return "AUDIT#" + key.projectKey() + "#" + key.environmentKey() + "#" + key.key();
    }

    /**
     * Entries copied out of a head together, as one item kept for {@code retentionSeconds} after
     * the newest was made: in the entry partition and the audit index at the oldest's sort key,
     * as a head holding them was (see {@link AuditIndex}). Its {@code sk} adds the highest
     * version to that, so that the copy-outs of two heads that held different entries from the
     * same oldest on (a writer that lost its race copies out the head it read) never overwrite
     * one another; copy-outs of the same head are the same item.
     */
    static Map<String, AttributeValue> batchItem(List<AuditEntry> entries, long retentionSeconds) {
        AuditEntry oldest = oldest(entries);
        long highestVersion = entries.stream().mapToLong(entry -> entry.change().version()).max().orElseThrow();
        long newestAt = entries.stream().mapToLong(entry -> entry.change().at()).max().orElseThrow();
        Map<String, AttributeValue> item = key(partition(oldest.segment()), String.format("%s#%012d", oldest.sortKey(), highestVersion));
        holding(item, HISTORY, entries);
        AuditIndex.place(item, oldest.segment(), oldest.sortKey());
        item.put(Table.TTL, n(newestAt / 1000 + retentionSeconds));
        return item;
    }

    static AuditEntry oldest(List<AuditEntry> entries) {
        return entries.stream().min(Comparator.comparing(AuditEntry::sortKey)).orElseThrow();
    }

    /**
     * Makes an item hold these entries, all of one segment incarnation, in {@code attribute}:
     * whose they are, and their changes with the ids of the commits that wrote them. Entry items
     * hold them in {@link #HISTORY}, which the audit index copies; heads in {@link #HELD}, which
     * it does not, so that a commit adding to what its head holds writes nothing to the index.
     */
    static void holding(Map<String, AttributeValue> item, String attribute, List<AuditEntry> entries) {
        AuditEntry first = entries.get(0);
        item.put("project", s(first.segment().projectKey()));
        item.put("environment", s(first.segment().environmentKey()));
        item.put("segment", s(first.segment().key()));
        item.put("incarnation", s(first.incarnation()));
        item.put(attribute, s(SegmentCodec.encodeHistory(
                entries.stream().map(e -> new SegmentCodec.Recorded(e.change(), e.commit())).toList())));
    }

    /**
     * The entries an entry item or a segment head (its recent commits) holds. A head written
     * before heads held their entries in {@link #HELD} holds them in {@link #HISTORY}.
     */
    static List<AuditEntry> of(Map<String, AttributeValue> item) {
        SegmentKey segment = new SegmentKey(string(item, "project"), string(item, "environment"), string(item, "segment"));
        String incarnation = string(item, "incarnation");
        List<AuditEntry> entries = new ArrayList<>();
        String encoded = item.containsKey(HISTORY) ? string(item, HISTORY) : string(item, HELD);
        for (SegmentCodec.Recorded recorded : SegmentCodec.decodeHistory(encoded)) {
            entries.add(new AuditEntry(segment, incarnation, recorded.change(), recorded.commit()));
        }
        return entries;
    }
}
