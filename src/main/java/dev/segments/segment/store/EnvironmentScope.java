package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.key;
import static dev.segments.dynamo.Attributes.string;

import dev.segments.dynamo.Backoff;
import dev.segments.dynamo.Table;
import dev.segments.project.ProjectStore;
import dev.segments.segment.SegmentKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

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
    Read read(SegmentKey key) {
        Map<String, AttributeValue> headKey = key(SegmentStore.headPk(key), key.key());
        Map<String, AttributeValue> projectKey = ProjectStore.itemKey(key.projectKey());
        List<Map<String, AttributeValue>> pending = new ArrayList<>(List.of(headKey, projectKey));
        Map<String, AttributeValue> head = null;
        Map<String, AttributeValue> project = null;
        int round = 0;
        while (!pending.isEmpty()) {
            List<Map<String, AttributeValue>> asked = List.copyOf(pending);
            BatchGetItemResponse response = db.batchGetItem(b -> b.requestItems(
                    Map.of(table, KeysAndAttributes.builder().keys(asked).consistentRead(true).build())));
            for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                if (string(item, Table.PK).equals(string(headKey, Table.PK))) {
                    head = item;
                } else {
                    project = item;
                }
            }
            KeysAndAttributes unprocessed = response.unprocessedKeys().get(table);
            pending = unprocessed == null || !unprocessed.hasKeys() ? List.of() : new ArrayList<>(unprocessed.keys());
            if (!pending.isEmpty()) {
                Backoff.pause(++round);
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
