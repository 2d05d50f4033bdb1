package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.key;
import static dev.segments.dynamo.Attributes.s;
import static dev.segments.dynamo.Attributes.string;

import dev.segments.dynamo.Table;
import dev.segments.segment.Change;
import dev.segments.segment.SegmentKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The segments a deleted environment or project left behind: live heads whose incarnation
 * belongs to an environment incarnation that no longer exists. Reads already treat them as
 * absent ({@link EnvironmentScope}); this finds them a page at a time and tombstones each one
 * through the same conditional write as a segment delete, so that its audit log records the
 * deletion and its chunks, schedules and due-index entry go with it. Every step is a write of
 * its own, so a crash half-way leaves some segments tombstoned and the next pass finds the rest.
 */
@ApplicationScoped
public class LeftoverSegments {

    /** One page of an environment's segment partition: the leftovers on it, how many heads it read, where the next begins. */
    public record Page(List<SegmentKey> leftovers, int read, Optional<String> resumeAfter) {
    }

    private final DynamoDbClient db;
    private final String table;
    private final SegmentStore segments;

    LeftoverSegments(Table table, SegmentStore segments) {
        this.db = table.client();
        this.table = table.name();
        this.segments = segments;
    }

    /** Up to {@code limit} heads of the environment's partition after {@code after}, and which of them belong to {@code environmentId}. */
    public Page find(String projectKey, String environmentKey, String environmentId, Optional<String> after, int limit) {
        String pk = HeadItem.pk(projectKey, environmentKey);
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true).limit(limit)
                .keyConditionExpression("pk = :pk")
                .projectionExpression("sk, incarnation, deleted")
                .expressionAttributeValues(Map.of(":pk", s(pk)));
        after.ifPresent(sk -> query.exclusiveStartKey(key(pk, sk)));
        QueryResponse response = db.query(query.build());
        List<SegmentKey> leftovers = new ArrayList<>();
        for (Map<String, AttributeValue> head : response.items()) {
            if (HeadItem.isLive(head) && EnvironmentScope.belongsTo(HeadItem.incarnation(head), environmentId)) {
                leftovers.add(new SegmentKey(projectKey, environmentKey, string(head, Table.SK)));
            }
        }
        Optional<String> resume = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Optional.of(string(response.lastEvaluatedKey(), Table.SK)) : Optional.empty();
        return new Page(leftovers, response.items().size(), resume);
    }

    /** The environment incarnation the live segment under {@code key} was created in, whether or not it still exists. */
    public Optional<String> environmentOf(SegmentKey key) {
        Map<String, AttributeValue> head = HeadItem.read(db, table, key);
        String incarnation = HeadItem.isLive(head) ? HeadItem.incarnation(head) : null;
        return incarnation == null || !incarnation.contains(".") ? Optional.empty()
                : Optional.of(incarnation.substring(0, incarnation.indexOf('.')));
    }

    /**
     * Tombstones the segment if its live head belongs to {@code environmentId}, recording the
     * change {@code deletion} makes of its version; false if there is no such head.
     */
    public boolean delete(SegmentKey key, String environmentId, LongFunction<Change> deletion) {
        return segments.tombstone(key, (k, deadline) -> {
            Map<String, AttributeValue> head = HeadItem.read(db, table, k);
            return HeadItem.isLive(head) && EnvironmentScope.belongsTo(HeadItem.incarnation(head), environmentId) ? head : null;
        }, deletion);
    }
}
