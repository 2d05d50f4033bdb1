package dev.segments.token;

import static dev.segments.dynamo.Attributes.key;
import static dev.segments.dynamo.Attributes.n;
import static dev.segments.dynamo.Attributes.number;
import static dev.segments.dynamo.Attributes.s;
import static dev.segments.dynamo.Attributes.string;

import dev.segments.dynamo.Table;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Tokens in DynamoDB: {@code pk = TOKENS}, {@code sk = <SHA-256 of the secret>}, so a request's
 * token is found with one strongly consistent GetItem and a deleted token fails at once.
 */
@ApplicationScoped
public class TokenStore {

    private static final String PK = "TOKENS";

    private final DynamoDbClient db;
    private final String table;

    public TokenStore(Table table) {
        this.db = table.client();
        this.table = table.name();
    }

    public void create(AccessToken token) {
        Map<String, AttributeValue> item = key(PK, token.hash());
        item.put("id", s(token.id()));
        item.put("name", s(token.name()));
        item.put("role", s(token.role().wire()));
        item.put("lastFour", s(token.lastFour()));
        item.put("creationDate", n(token.creationDate()));
        item.put("lastModified", n(token.lastModified()));
        item.put("ownerId", s(token.ownerId()));
        try {
            db.putItem(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException stored) {
            // The secret is fresh and random: only an earlier copy of this very write, sent again by the
            // SDK after its answer was lost, can have stored its hash. Make sure, by reading.
            if (findByHash(token.hash()).filter(t -> t.id().equals(token.id())).isEmpty()) {
                throw stored;
            }
        }
    }

    public Optional<AccessToken> find(String id) {
        return list().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /**
     * Writes a token's new name and role, if it still has the ones {@code expected} had;
     * false if it changed or was deleted meanwhile.
     */
    public boolean update(AccessToken expected, AccessToken changed) {
        try {
            db.updateItem(u -> u.tableName(table).key(key(PK, expected.hash()))
                    .updateExpression("SET #name = :name, #role = :role, lastModified = :modified")
                    .conditionExpression("id = :id AND #name = :oldName AND #role = :oldRole")
                    .expressionAttributeNames(Map.of("#name", "name", "#role", "role"))
                    .expressionAttributeValues(Map.of(":name", s(changed.name()), ":role", s(changed.role().wire()),
                            ":modified", n(changed.lastModified()), ":id", s(expected.id()),
                            ":oldName", s(expected.name()), ":oldRole", s(expected.role().wire()))));
            return true;
        } catch (ConditionalCheckFailedException changedMeanwhile) {
            return false;
        }
    }

    public Optional<AccessToken> findByHash(String hash) {
        Map<String, AttributeValue> item = db.getItem(g -> g.tableName(table).consistentRead(true).key(key(PK, hash))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    public List<AccessToken> list() {
        List<AccessToken> tokens = new ArrayList<>();
        db.queryPaginator(q -> q.tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(PK))))
                .items().forEach(item -> tokens.add(fromItem(item)));
        tokens.sort(Comparator.comparingLong(AccessToken::creationDate).thenComparing(AccessToken::id));
        return tokens;
    }

    /** Deletes the token with this id; false if there is none. */
    public boolean delete(String id) {
        Optional<AccessToken> token = find(id);
        token.ifPresent(t -> db.deleteItem(d -> d.tableName(table).key(key(PK, t.hash()))));
        return token.isPresent();
    }

    private static AccessToken fromItem(Map<String, AttributeValue> item) {
        long created = number(item, "creationDate");
        return new AccessToken(string(item, "id"), string(item, "name"), Role.fromWire(string(item, "role")).orElseThrow(),
                string(item, "sk"), string(item, "lastFour"), created,
                item.containsKey("lastModified") ? number(item, "lastModified") : created, string(item, "ownerId"));
    }
}
