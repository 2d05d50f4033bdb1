package dev.segments.project;

import static dev.segments.dynamo.Attributes.key;
import static dev.segments.dynamo.Attributes.n;
import static dev.segments.dynamo.Attributes.number;
import static dev.segments.dynamo.Attributes.s;
import static dev.segments.dynamo.Attributes.string;

import dev.segments.dynamo.Table;
import dev.segments.segment.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The cleanup's work list: one item per deleted environment incarnation, {@code pk = CLEANUP},
 * {@code sk = <environment id>}, written before the environment leaves its project and deleted
 * once a pass over its segments found none left. Few at a time, so one Query lists them.
 */
@ApplicationScoped
public class DeletedEnvironments {

    static final String PK = "CLEANUP";

    private final DynamoDbClient db;
    private final String table;

    DeletedEnvironments(Table table) {
        this.db = table.client();
        this.table = table.name();
    }

    /** Records deletions about to happen; writing one twice is harmless. */
    void add(List<DeletedEnvironment> deletions) {
        for (DeletedEnvironment deletion : deletions) {
            Map<String, AttributeValue> item = new HashMap<>(key(PK, deletion.environmentId()));
            item.put("project", s(deletion.projectKey()));
            item.put("environment", s(deletion.environmentKey()));
            item.put("withProject", AttributeValue.fromBool(deletion.withProject()));
            item.put("deletedAt", n(deletion.deletedAt()));
            item.put("actor", s(deletion.actor().name()));
            item.put("actorId", s(deletion.actor().id()));
            db.putItem(p -> p.tableName(table).item(item));
        }
    }

    List<DeletedEnvironment> pending() {
        List<DeletedEnvironment> pending = new ArrayList<>();
        db.queryPaginator(q -> q.tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(PK))))
                .items().forEach(item -> pending.add(fromItem(item)));
        return pending;
    }

    Optional<DeletedEnvironment> find(String environmentId) {
        Map<String, AttributeValue> item = db.getItem(g -> g.tableName(table).consistentRead(true).key(key(PK, environmentId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** Where the current pass stopped, and when it started; no {@code resumeAfter} starts a new pass next time. */
    void progress(DeletedEnvironment deletion, Optional<String> resumeAfter, long passStartedAt) {
        UpdateItemRequest.Builder update = UpdateItemRequest.builder().tableName(table).key(key(PK, deletion.environmentId()))
                .conditionExpression("attribute_exists(pk)");
        if (resumeAfter.isPresent()) {
            update.updateExpression("SET resumeAfter = :after, passStartedAt = :started")
                    .expressionAttributeValues(Map.of(":after", s(resumeAfter.get()), ":started", n(passStartedAt)));
        } else {
            update.updateExpression("REMOVE resumeAfter, passStartedAt");
        }
        try {
            db.updateItem(update.build());
        } catch (ConditionalCheckFailedException done) {
            // Another pass finished it meanwhile.
        }
    }

    void done(DeletedEnvironment deletion) {
        db.deleteItem(d -> d.tableName(table).key(key(PK, deletion.environmentId())));
    }

    private static DeletedEnvironment fromItem(Map<String, AttributeValue> item) {
        return new DeletedEnvironment(string(item, "project"), string(item, "environment"), string(item, Table.SK),
                Boolean.TRUE.equals(item.get("withProject").bool()), number(item, "deletedAt"),
                new Actor(string(item, "actorId"), string(item, "actor")),
                Optional.ofNullable(string(item, "resumeAfter")),
                item.containsKey("passStartedAt") ? number(item, "passStartedAt") : 0);
    }
}
