package dev.segments.ratelimit;

import static dev.segments.dynamo.Attributes.key;
import static dev.segments.dynamo.Attributes.n;

import dev.segments.dynamo.Table;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Requests per token and route in fixed one-minute windows, counted in the table so that every
 * function instance shares one count: {@code pk = RATE#<token id>#<route>}, {@code sk = <window
 * start, epoch seconds>}, {@code hits}, and a {@code ttl} so DynamoDB deletes spent windows.
 * One UpdateItem per request; off with {@code segments.rate-limit.per-minute=0}.
 */
@ApplicationScoped
public class RateLimiter {

    /** How a request stands against its limit. */
    public record Verdict(boolean allowed, long remaining, long resetMillis) {
    }

    private final DynamoDbClient db;
    private final String table;
    private final long perMinute;

    RateLimiter(Table table, @ConfigProperty(name = "segments.rate-limit.per-minute", defaultValue = "0") long perMinute) {
        this.db = table.client();
        this.table = table.name();
        this.perMinute = perMinute;
    }

    public boolean enabled() {
        return perMinute > 0;
    }

    public Verdict hit(String tokenId, String route, long nowMillis) {
        long window = Math.floorDiv(nowMillis, 60_000L) * 60;
        long reset = (window + 60) * 1000;
        long hits = Long.parseLong(db.updateItem(u -> u.tableName(table)
                .key(key("RATE#" + tokenId + "#" + route, Long.toString(window)))
                .updateExpression("ADD hits :one SET #ttl = :ttl")
                .expressionAttributeNames(Map.of("#ttl", Table.TTL))
                .expressionAttributeValues(Map.of(":one", n(1), ":ttl", n(window + 120)))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes().get("hits").n());
        return new Verdict(hits <= perMinute, Math.max(0, perMinute - hits), reset);
    }
}
