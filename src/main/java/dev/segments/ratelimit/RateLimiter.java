package dev.segments.ratelimit;

import static dev.segments.dynamo.Attributes.key;
import static dev.segments.dynamo.Attributes.n;

import dev.segments.dynamo.Table;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Counts in fixed one-minute windows, in the table so that every function instance shares one
 * count ({@code hits}, with a {@code ttl} so DynamoDB deletes spent windows), one UpdateItem per
 * counted request:
 * <ul>
 * <li>requests per token and route ({@code pk = RATE#<token id>#<route>}), off with
 * {@code segments.rate-limit.per-minute=0};</li>
 * <li>failed authentications (401 and 403 answers) per source address ({@code pk =
 * AUTHFAIL#<address>}), off with {@code segments.rate-limit.auth-failures-per-minute=0}. An
 * address over its limit is remembered by the instance until the window ends, so its further
 * requests are refused before they cost a token lookup.</li>
 * </ul>
 */
@ApplicationScoped
public class RateLimiter {

    /** How a request stands against its limit. */
    public record Verdict(boolean allowed, long remaining, long resetMillis) {
    }

    /** Blocked addresses an instance remembers; beyond this it forgets the spent ones, or all. */
    static final int MAX_BLOCKED = 10_000;

    private final DynamoDbClient db;
    private final String table;
    private final long perMinute;
    private final long failuresPerMinute;
    private final Map<String, Long> blockedUntil = new ConcurrentHashMap<>();

    RateLimiter(Table table, @ConfigProperty(name = "segments.rate-limit.per-minute", defaultValue = "0") long perMinute,
            @ConfigProperty(name = "segments.rate-limit.auth-failures-per-minute", defaultValue = "0") long failuresPerMinute) {
        this.db = table.client();
        this.table = table.name();
        this.perMinute = perMinute;
        this.failuresPerMinute = failuresPerMinute;
    }

    public boolean enabled() {
        return perMinute > 0;
    }

    public Verdict hit(String tokenId, String route, long nowMillis) {
        return count("RATE#" + tokenId + "#" + route, perMinute, nowMillis);
    }

    public boolean limitsFailures() {
        return failuresPerMinute > 0;
    }

    /** Counts a failed authentication from {@code address}; over the limit, the address stays blocked for the window. */
    public Verdict failed(String address, long nowMillis) {
        Verdict verdict = count("AUTHFAIL#" + address, failuresPerMinute, nowMillis);
        if (!verdict.allowed()) {
            if (blockedUntil.size() >= MAX_BLOCKED) {
                blockedUntil.values().removeIf(reset -> reset <= nowMillis);
                if (blockedUntil.size() >= MAX_BLOCKED) {
                    blockedUntil.clear();
                }
            }
            blockedUntil.put(address, verdict.resetMillis());
        }
        return verdict;
    }

    /** When {@code address} may try again, if this instance saw it pass its failure limit in the current window. */
    public Optional<Long> blocked(String address, long nowMillis) {
        Long reset = blockedUntil.get(address);
        if (reset == null || reset <= nowMillis) {
            return Optional.empty();
        }
        return Optional.of(reset);
    }

    private Verdict count(String subject, long limit, long nowMillis) {
        long window = Math.floorDiv(nowMillis, 60_000L) * 60;
        long reset = (window + 60) * 1000;
        long hits = Long.parseLong(db.updateItem(u -> u.tableName(table)
                .key(key(subject, Long.toString(window)))
                .updateExpression("ADD hits :one SET #ttl = :ttl")
                .expressionAttributeNames(Map.of("#ttl", Table.TTL))
                .expressionAttributeValues(Map.of(":one", n(1), ":ttl", n(window + 120)))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes().get("hits").n());
        return new Verdict(hits <= limit, Math.max(0, limit - hits), reset);
    }
}
