package dev.segments.project;

import static dev.segments.dynamo.Attributes.key;
import static dev.segments.dynamo.Attributes.n;
import static dev.segments.dynamo.Attributes.number;
import static dev.segments.dynamo.Attributes.s;
import static dev.segments.dynamo.Attributes.string;
import static dev.segments.dynamo.Attributes.stringList;
import static dev.segments.dynamo.Attributes.strings;

import dev.segments.dynamo.Table;
import dev.segments.segment.store.AlreadyExists;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Projects in DynamoDB: one item per project, {@code pk = PROJECT#<key>}, {@code sk = PROJECT},
 * with its environments in a map attribute. A project has few environments, and keeping them
 * in the project's item makes creating a project with its environments one conditional write.
 */
@ApplicationScoped
public class ProjectStore {

    private static final String SK = "PROJECT";

    private final DynamoDbClient db;
    private final String table;

    public ProjectStore(Table table) {
        this.db = table.client();
        this.table = table.name();
    }

    public Optional<Project> find(String projectKey) {
        Map<String, AttributeValue> item = db.getItem(g -> g.tableName(table).consistentRead(true)
                .key(key(pk(projectKey), SK))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    public void create(Project project) {
        Map<String, AttributeValue> environments = new HashMap<>();
        project.environments().forEach(e -> environments.put(e.key(), AttributeValue.fromM(toItem(e))));
        Map<String, AttributeValue> item = key(pk(project.key()), SK);
        item.put("id", s(project.id()));
        item.put("key", s(project.key()));
        item.put("name", s(project.name()));
        item.put("tags", strings(project.tags()));
        item.put("creationDate", n(project.creationDate()));
        item.put("environments", AttributeValue.fromM(environments));
        try {
            db.putItem(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException exists) {
            // Either another project has the key, or the SDK sent this very write again after its answer was lost.
            if (find(project.key()).filter(stored -> stored.id().equals(project.id())).isEmpty()) {
                throw new AlreadyExists("A project with key \"" + project.key() + "\" already exists. Choose another key.");
            }
        }
    }

    /** Adds an environment; false if the project does not exist. */
    public boolean addEnvironment(String projectKey, Environment environment) {
        try {
            db.updateItem(u -> u.tableName(table).key(key(pk(projectKey), SK))
                    .updateExpression("SET environments.#env = :env")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(environments.#env)")
                    .expressionAttributeNames(Map.of("#env", environment.key()))
                    .expressionAttributeValues(Map.of(":env", AttributeValue.fromM(toItem(environment)))));
            return true;
        } catch (ConditionalCheckFailedException failed) {
            Optional<Project> project = find(projectKey);
            if (project.isEmpty()) {
                return false;
            }
            if (project.get().environment(environment.key()).filter(stored -> stored.id().equals(environment.id())).isPresent()) {
                // this very write, applied, its answer lost, and sent again by the SDK
                return true;
            }
            throw new AlreadyExists("An environment with key \"" + environment.key() + "\" already exists in project \""
                    + projectKey + "\". Choose another key.");
        }
    }

    private static Map<String, AttributeValue> toItem(Environment environment) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(environment.id()));
        item.put("key", s(environment.key()));
        item.put("name", s(environment.name()));
        item.put("color", s(environment.color()));
        item.put("apiKey", s(environment.apiKey()));
        item.put("mobileKey", s(environment.mobileKey()));
        item.put("creationDate", n(environment.creationDate()));
        return item;
    }

    private static Project fromItem(Map<String, AttributeValue> item) {
        List<Environment> environments = new ArrayList<>();
        item.get("environments").m().values().forEach(value -> {
            Map<String, AttributeValue> e = value.m();
            environments.add(new Environment(string(e, "id"), string(e, "key"), string(e, "name"), string(e, "color"),
                    string(e, "apiKey"), string(e, "mobileKey"), number(e, "creationDate")));
        });
        environments.sort(Comparator.comparingLong(Environment::creationDate).thenComparing(Environment::key));
        return new Project(string(item, "id"), string(item, "key"), string(item, "name"), stringList(item, "tags"),
                number(item, "creationDate"), environments);
    }

    private static String pk(String projectKey) {
        return "PROJECT#" + projectKey;
    }
}
