package dev.segments.project;

import static dev.segments.dynamo.Attributes.key;
import static dev.segments.dynamo.Attributes.n;
import static dev.segments.dynamo.Attributes.number;
import static dev.segments.dynamo.Attributes.s;
import static dev.segments.dynamo.Attributes.string;
import static dev.segments.dynamo.Attributes.stringList;
import static dev.segments.dynamo.Attributes.strings;

import dev.segments.dynamo.Table;
import dev.segments.ops.Deadlines;
import dev.segments.segment.store.AlreadyExists;
import dev.segments.segment.store.WriteConflict;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Projects in DynamoDB: one item per project, {@code pk = PROJECTS}, {@code sk = <key>}, with
 * its environments in a map attribute and a {@code version} that every change raises. A project
 * has few environments, and keeping them in the project's item makes creating a project with
 * its environments one conditional write, lets every segment request read its environment's
 * current incarnation with the segment in one BatchGetItem, and lets the list of projects be
 * one Query.
 */
@ApplicationScoped
public class ProjectStore {

    static final String PK = "PROJECTS";
    /** Attempts of a change before giving up with {@link WriteConflict}; projects change rarely. */
    static final int MAX_ATTEMPTS = 10;

    private final DynamoDbClient db;
    private final String table;
    private final Deadlines deadlines;

    public ProjectStore(Table table, Deadlines deadlines) {
        this.db = table.client();
        this.table = table.name();
        this.deadlines = deadlines;
    }

    /** The key of a project's item. */
    public static Map<String, AttributeValue> itemKey(String projectKey) {
        return key(PK, projectKey);
    }

    /** The id of the environment's current incarnation in a project item, if it has that environment. */
    public static Optional<String> environmentId(Map<String, AttributeValue> item, String environmentKey) {
        AttributeValue environment = item == null || !item.containsKey("environments") ? null
                : item.get("environments").m().get(environmentKey);
        return environment == null ? Optional.empty() : Optional.of(string(environment.m(), "id"));
    }

    public Optional<Project> find(String projectKey) {
        Map<String, AttributeValue> item = db.getItem(g -> g.tableName(table).consistentRead(true).key(itemKey(projectKey))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** Every project, by key. */
    public List<Project> list() {
        List<Project> projects = new ArrayList<>();
        db.queryPaginator(q -> q.tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(PK))))
                .items().forEach(item -> projects.add(fromItem(item)));
        return projects;
    }

    public void create(Project project) {
        try {
            db.putItem(p -> p.tableName(table).item(toItem(project)).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException exists) {
            // Either another project has the key, or the SDK sent this very write again after its answer was lost.
            if (find(project.key()).filter(stored -> stored.id().equals(project.id())).isEmpty()) {
                throw new AlreadyExists("A project with key \"" + project.key() + "\" already exists. Choose another key.");
            }
        }
    }

    /**
     * Adds an environment; false if the project does not exist. One UpdateItem that touches
     * only this environment's entry, so environments created at once in parallel all succeed.
     */
    public boolean addEnvironment(String projectKey, Environment environment) {
        try {
            db.updateItem(u -> u.tableName(table).key(itemKey(projectKey))
                    .updateExpression("SET environments.#env = :env ADD version :one")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(environments.#env)")
                    .expressionAttributeNames(Map.of("#env", environment.key()))
                    .expressionAttributeValues(Map.of(":env", AttributeValue.fromM(toItem(environment)), ":one", n(1))));
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

    /**
     * Applies {@code change} to the stored project and writes the result, conditioned on the
     * version it was computed from; on a lost race it reads again and re-applies. Empty if
     * there is no such project. {@code change} may refuse by throwing.
     */
    public Optional<Project> update(String projectKey, UnaryOperator<Project> change) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<Project> stored = find(projectKey);
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            Project changed = change.apply(stored.get());
            if (changed.equals(stored.get())) {
                return stored;
            }
            Project next = new Project(changed.id(), changed.key(), changed.name(), changed.tags(), changed.creationDate(),
                    changed.environments(), stored.get().version() + 1);
            try {
                db.putItem(p -> p.tableName(table).item(toItem(next))
                        .conditionExpression("version = :version")
                        .expressionAttributeValues(Map.of(":version", n(stored.get().version()))));
                return Optional.of(next);
            } catch (ConditionalCheckFailedException lost) {
                deadlines.current().pause(attempt);
            }
        }
        throw new WriteConflict("The project \"" + projectKey + "\" kept changing under concurrent writers, and "
                + MAX_ATTEMPTS + " attempts to apply this request lost the race. Nothing was changed; try again.");
    }

    /** Takes the environment's incarnation {@code environmentId} out of its project, if it is still there. */
    public void removeEnvironment(String projectKey, String environmentKey, String environmentId) {
        try {
            db.updateItem(u -> u.tableName(table).key(itemKey(projectKey))
                    .updateExpression("REMOVE environments.#env ADD version :one")
                    .conditionExpression("environments.#env.id = :id")
                    .expressionAttributeNames(Map.of("#env", environmentKey))
                    .expressionAttributeValues(Map.of(":id", s(environmentId), ":one", n(1))));
        } catch (ConditionalCheckFailedException gone) {
            // Gone already: taken out by this very write, sent again by the SDK after its answer was lost, or by
            // another delete of the same incarnation. Either way it is deleted, as the caller asked.
        }
    }

    /**
     * Deletes the project if it is still at the version {@code project} was read at; false if it
     * changed (its environments may have too). True also when the project read is gone already:
     * deleted by this very write, its answer lost and the SDK's copy refused, or by another
     * delete of it.
     */
    public boolean delete(Project project) {
        try {
            db.deleteItem(d -> d.tableName(table).key(itemKey(project.key()))
                    .conditionExpression("version = :version")
                    .expressionAttributeValues(Map.of(":version", n(project.version()))));
            return true;
        } catch (ConditionalCheckFailedException changedOrGone) {
            return find(project.key()).filter(stored -> stored.id().equals(project.id())).isEmpty();
        }
    }

    private static Map<String, AttributeValue> toItem(Project project) {
        Map<String, AttributeValue> environments = new HashMap<>();
        project.environments().forEach(e -> environments.put(e.key(), AttributeValue.fromM(toItem(e))));
        Map<String, AttributeValue> item = itemKey(project.key());
        item.put("id", s(project.id()));
        item.put("key", s(project.key()));
        item.put("name", s(project.name()));
        item.put("tags", strings(project.tags()));
        item.put("creationDate", n(project.creationDate()));
        item.put("environments", AttributeValue.fromM(environments));
        item.put("version", n(project.version()));
        return item;
    }

    private static Map<String, AttributeValue> toItem(Environment environment) {
        Environment.Settings settings = environment.settings();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(environment.id()));
        item.put("key", s(environment.key()));
        item.put("name", s(environment.name()));
        item.put("color", s(environment.color()));
        item.put("tags", strings(environment.tags()));
        item.put("defaultTtl", n(settings.defaultTtl()));
        item.put("secureMode", AttributeValue.fromBool(settings.secureMode()));
        item.put("defaultTrackEvents", AttributeValue.fromBool(settings.defaultTrackEvents()));
        item.put("requireComments", AttributeValue.fromBool(settings.requireComments()));
        item.put("confirmChanges", AttributeValue.fromBool(settings.confirmChanges()));
        item.put("critical", AttributeValue.fromBool(settings.critical()));
        item.put("apiKey", s(environment.apiKey()));
        item.put("mobileKey", s(environment.mobileKey()));
        item.put("creationDate", n(environment.creationDate()));
        return item;
    }

    private static Project fromItem(Map<String, AttributeValue> item) {
        List<Environment> environments = new ArrayList<>();
        item.get("environments").m().values().forEach(value -> {
            Map<String, AttributeValue> e = value.m();
            Environment.Settings settings = new Environment.Settings(number(e, "defaultTtl"), bool(e, "secureMode"),
                    bool(e, "defaultTrackEvents"), bool(e, "requireComments"), bool(e, "confirmChanges"), bool(e, "critical"));
            environments.add(new Environment(string(e, "id"), string(e, "key"), string(e, "name"), string(e, "color"),
                    stringList(e, "tags"), settings, string(e, "apiKey"), string(e, "mobileKey"), number(e, "creationDate")));
        });
        environments.sort(Comparator.comparingLong(Environment::creationDate).thenComparing(Environment::key));
        return new Project(string(item, "id"), string(item, "key"), string(item, "name"), stringList(item, "tags"),
                number(item, "creationDate"), environments, number(item, "version"));
    }

    private static boolean bool(Map<String, AttributeValue> item, String name) {
        return Boolean.TRUE.equals(item.get(name).bool());
    }
}
