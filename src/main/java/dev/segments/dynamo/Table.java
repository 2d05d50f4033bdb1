package dev.segments.dynamo;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The one table everything lives in. Items are told apart by their partition key prefix
 * (see each store); keys of projects, environments and segments cannot contain {@code #},
 * and target keys are never part of a key, so no two items can collide.
 */
@ApplicationScoped
public class Table {

    public static final String PK = "pk";
    public static final String SK = "sk";
    /** DynamoDB deletes an item some time after this epoch-second attribute passes. */
    public static final String TTL = "ttl";
    /** Sparse index of segments with a scheduled removal: shard, and when the earliest falls due. */
    public static final String DUE_INDEX = "due";
    public static final String DUE_SHARD = "dueShard";
    public static final String DUE_AT = "dueAt";
    /**
     * The audit log in time order: every audit entry item, and every segment head for the
     * entries of its recent commits, each sorted by the oldest entry it holds.
     */
    public static final String AUDIT_INDEX = "audit";
    public static final String AUDIT_LOG = "auditLog";
    public static final String AUDIT_AT = "auditAt";
    /**
     * What the audit index copies: enough to build an entry item's entries without reading it.
     * Heads hold theirs in an attribute it does not copy, so that adding to them writes nothing
     * to the index; a listing reads the head.
     */
    public static final List<String> AUDIT_PROJECTION = List.of("project", "environment", "segment", "incarnation", "history");

    private static final Logger LOG = Logger.getLogger(Table.class);

    private final DynamoDbClient client;
    private final String name;
    private final boolean createIfMissing;

    public Table(DynamoDbClient client,
            @ConfigProperty(name = "segments.table") String name,
            @ConfigProperty(name = "segments.create-table", defaultValue = "false") boolean createIfMissing) {
        this.client = client;
        this.name = name;
        this.createIfMissing = createIfMissing;
    }

    public DynamoDbClient client() {
        return client;
    }

    public String name() {
        return name;
    }

    void onStart(@Observes StartupEvent event) {
        if (createIfMissing) {
            ensureExists();
        }
    }

    /** The table's definition; template.yaml declares the same for deployment. */
    public static CreateTableRequest definition(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute(PK, ScalarAttributeType.S),
                        attribute(SK, ScalarAttributeType.S),
                        attribute(DUE_SHARD, ScalarAttributeType.S),
                        attribute(DUE_AT, ScalarAttributeType.N),
                        attribute(AUDIT_LOG, ScalarAttributeType.S),
                        attribute(AUDIT_AT, ScalarAttributeType.S))
                .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(DUE_INDEX)
                        .keySchema(key(DUE_SHARD, KeyType.HASH), key(DUE_AT, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build(),
                        GlobalSecondaryIndex.builder()
                        .indexName(AUDIT_INDEX)
                        .keySchema(key(AUDIT_LOG, KeyType.HASH), key(AUDIT_AT, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                                .nonKeyAttributes(AUDIT_PROJECTION).build())
                        .build())
                .build();
    }

    public void ensureExists() {
        try {
            client.describeTable(b -> b.tableName(name));
        } catch (ResourceNotFoundException missing) {
            try {
                client.createTable(definition(name));
                LOG.infof("Created table %s", name);
            } catch (ResourceInUseException raced) {
                // another instance created it first
            }
        }
        waitUntilActive();
    }

    private void waitUntilActive() {
        for (int i = 0; i < 300; i++) {
            TableStatus status = client.describeTable(b -> b.tableName(name)).table().tableStatus();
            if (status == TableStatus.ACTIVE) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for table " + name, e);
            }
        }
        throw new IllegalStateException("Table " + name + " did not become ACTIVE");
    }

    private static AttributeDefinition attribute(String attributeName, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(attributeName).attributeType(type).build();
    }

    private static KeySchemaElement key(String attributeName, KeyType type) {
        return KeySchemaElement.builder().attributeName(attributeName).keyType(type).build();
    }
}
