package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.s;

import dev.segments.dynamo.Table;
import dev.segments.segment.SegmentKey;
import java.util.Iterator;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The audit index ({@code auditLog}, {@code auditAt}): every entry item, and every segment
 * head for the entries of its latest commit, under one partition value, sorted by the entries'
 * sort keys.
 */
final class AuditIndex {

    /** The one value of the audit index's partition attribute. */
    private static final String LOG = "all";

    private AuditIndex() {
    }

    /** Puts the item in the audit index at {@code sortKey}. */
    static void place(Map<String, AttributeValue> item, SegmentKey segment, String sortKey) {
        item.put(Table.AUDIT_LOG, s(LOG));
        item.put(Table.AUDIT_AT, s(sortKey));
    }

    /** Index rows sorted below {@code below}, newest first, read lazily. */
    static Iterator<Map<String, AttributeValue>> newestFirst(DynamoDbClient db, String table, String below) {
        return db.queryPaginator(q -> q.tableName(table).indexName(Table.AUDIT_INDEX).scanIndexForward(false)
                        .keyConditionExpression("#log = :log AND #at < :below")
                        .expressionAttributeNames(Map.of("#log", Table.AUDIT_LOG, "#at", Table.AUDIT_AT))
                        .expressionAttributeValues(Map.of(":log", s(LOG), ":below", s(below))))
                .items().iterator();
    }
}
