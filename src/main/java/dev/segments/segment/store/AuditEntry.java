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
 */
public record AuditEntry(SegmentKey segment, String incarnation, Change change) {

    /** Days an entry is kept; DynamoDB's TTL deletes it afterwards, and reads hide it at once. */
    public static final String RETENTION_DAYS = "segments.audit.retention-days";
    /** The one value of the audit index's partition attribute. */
    static final String LOG = "all";

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

    /** The entry as an item of its own, kept for {@code retentionSeconds} after it was made. */
    Map<String, AttributeValue> item(long retentionSeconds) {
        Map<String, AttributeValue> item = key(partition(segment), sortKey());
        locate(item, segment, incarnation);
        item.put("history", s(SegmentCodec.encodeHistory(List.of(change))));
        indexAt(item, sortKey());
        item.put(Table.TTL, n(change.at() / 1000 + retentionSeconds));
        return item;
    }

    /** The attributes that say whose entries an item (entry or segment head) holds. */
    static void locate(Map<String, AttributeValue> item, SegmentKey segment, String incarnation) {
        item.put("project", s(segment.projectKey()));
        item.put("environment", s(segment.environmentKey()));
        item.put("segment", s(segment.key()));
        item.put("incarnation", s(incarnation));
    }

    /** Puts the item in the audit index at {@code sortKey}. */
    static void indexAt(Map<String, AttributeValue> item, String sortKey) {
        item.put(Table.AUDIT_LOG, s(LOG));
        item.put(Table.AUDIT_AT, s(sortKey));
    }

    /** The entries an entry item or a segment head (its latest commit) holds. */
    static List<AuditEntry> of(Map<String, AttributeValue> item) {
        SegmentKey segment = new SegmentKey(string(item, "project"), string(item, "environment"), string(item, "segment"));
        String incarnation = string(item, "incarnation");
        List<AuditEntry> entries = new ArrayList<>();
        for (Change change : SegmentCodec.decodeHistory(string(item, "history"))) {
            entries.add(new AuditEntry(segment, incarnation, change));
        }
        return entries;
    }
}
