package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.string;

import dev.segments.dynamo.Batches;
import dev.segments.dynamo.Table;
import dev.segments.ops.Deadline;
import dev.segments.project.ProjectStore;
import dev.segments.segment.SegmentKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Which incarnation of its environment a segment belongs to. A segment's incarnation id begins
 * with the id of the environment it was created in, and an environment's id is new each time
 * one is created, also under a deleted one's key. Deleting an environment or a project only
 * removes it from the project item (the segments go later, in bounded steps, see
 * {@link LeftoverSegments}); from that moment every read of one of its segments finds the head
 * out of scope and treats it as absent, and a segment created under the same keys starts clean.
 */
final class EnvironmentScope {

    private final DynamoDbClient db;
    private final String table;

    EnvironmentScope(DynamoDbClient db, String table) {
        this.db = db;
        this.table = table;
    }

    /** A new segment incarnation in the environment incarnation {@code environmentId}. */
    static String incarnation(String environmentId) {
        return environmentId + "." + UUID.randomUUID();
    }

    static boolean belongsTo(String incarnation, String environmentId) {
        return incarnation != null && incarnation.startsWith(environmentId + ".");
    }

    /** A segment head and its environment's current incarnation, as one consistent read saw them. */
    record Read(Map<String, AttributeValue> head, Optional<String> environmentId) {

        /** The head, live or tombstone; a live head of another environment incarnation reads as none. */
        Map<String, AttributeValue> visibleHead() {
            if (head == null || head.containsKey("deleted")) {
                return head;
            }
            return environmentId.filter(id -> belongsTo(string(head, "incarnation"), id)).isPresent() ? head : null;
        }
    }

    /** The segment's head and its project's item, in one consistent BatchGetItem. */
    Read read(SegmentKey key, Deadline deadline) {
        Map<String, AttributeValue> headKey = HeadItem.key(key);
        Map<String, AttributeValue> head = null;
        Map<String, AttributeValue> project = null;
        for (Map<String, AttributeValue> item : Batches.getAll(db, table, List.of(headKey, ProjectStore.itemKey(key.projectKey())),
                deadline)) {
            if (string(item, Table.PK).equals(string(headKey, Table.PK))) {
                head = item;
            } else {
                project = item;
            }
        }
        return new Read(head, ProjectStore.environmentId(project, key.environmentKey()));
    }

    /** The current incarnation of an environment, if it exists. */
    Optional<String> environmentId(String projectKey, String environmentKey) {
        Map<String, AttributeValue> project = db.getItem(g -> g.tableName(table).consistentRead(true)
                .key(ProjectStore.itemKey(projectKey))).item();
        return ProjectStore.environmentId(project, environmentKey);
    }
}
