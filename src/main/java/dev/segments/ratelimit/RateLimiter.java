package dev.segments.ratelimit;

import static dev.segments.dynamo.Attributes.key;
import static dev.segments.dynamo.Attributes.n;

import dev.segments.dynamo.Table;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Counts in fixed one-minute windows, in the table so that every function instance shares one
 * count ({@code hits}, with a {@code ttl} so DynamoDB deletes spent windows):
 * <ul>
 * <li>requests per token and route ({@code pk = RATE#<token id>#<route>}), off with
 * {@code segments.rate-limit.per-minute=0}. An instance claims the window's hits a few at a time
 * ({@link #claimSize}: a sixtieth of the limit, at most {@link #MAX_CLAIM}) with one UpdateItem
 * and numbers its requests from its claim, so that counting costs a write per few requests
 * rather than one each. The shared count never lets more than the limit through; what an
 * instance claimed and did not use by the window's end (less than a claim) is refused to the
 * others, a sixtieth of the limit at most per instance;</li>
 * <li>failed authentications (401 and 403 answers) per source address ({@code pk =
 * AUTHFAIL#<address>}), off with {@code segments.rate-limit.auth-failures-per-minute=0}, one
 * UpdateItem each. An address over its limit is remembered by the instance until the window
 * ends, so its further requests are refused before they cost a token lookup.</li>
 * </ul>
 */
@ApplicationScoped
public class RateLimiter {

    /** How a request stands against its limit. */
    public record Verdict(boolean allowed, long remaining, long resetMillis) {
    }

    /** Blocked addresses an instance remembers; beyond this it forgets the spent ones, or all. */
    static final int MAX_BLOCKED = 10_000;
    /** The most hits an instance claims at once. */
    static final int MAX_CLAIM = 10;
    /** Claims an instance keeps; beyond this it forgets those of spent windows, or all. */
    static final int MAX_CLAIMS = 10_000;

    /** The numbers of one window's hits an instance claimed: {@code next} up to {@code last}. */
    private static final class Claim {
        long window = -1;
        long next;
        long last;
    }

    private final DynamoDbClient db;
    private final String table;
    private final long perMinute;
    private final long failuresPerMinute;
    private final Map<String, Long> blockedUntil = new ConcurrentHashMap<>();
    private final Map<String, Claim> claims = new ConcurrentHashMap<>();

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
        String subject = "RATE#" + tokenId + "#" + route;
        long window = window(nowMillis);
        makeRoom(claims, MAX_CLAIMS, claim -> claim.window < window);
        Claim claim = claims.computeIfAbsent(subject, s -> new Claim());
        synchronized (claim) {
            if (claim.window != window || claim.next > claim.last) {
                if (claim.window == window && claim.last >= perMinute) {
                    // The window's count is spent for every instance: no write can change that.
                    return new Verdict(false, 0, reset(window));
                }
                int size = claimSize(perMinute);
                claim.last = add(subject, window, size);
                claim.next = claim.last - size + 1;
                claim.window = window;
            }
            long number = claim.next++;
            return new Verdict(number <= perMinute, Math.max(0, perMinute - number), reset(window));
        }
    }

    /** A sixtieth of the limit (one request a second's worth), at least 1, so that small limits count exactly. */
    static int claimSize(long limit) {
        return (int) Math.max(1, Math.min(MAX_CLAIM, limit / 60));
    }

    public boolean limitsFailures() {
        return failuresPerMinute > 0;
    }

    /** Counts a failed authentication from {@code address}; over the limit, the address stays blocked for the window. */
    public Verdict failed(String address, long nowMillis) {
        Verdict verdict = count("AUTHFAIL#" + address, failuresPerMinute, nowMillis);
        if (!verdict.allowed()) {
            makeRoom(blockedUntil, MAX_BLOCKED, reset -> reset <= nowMillis);
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
        long window = window(nowMillis);
        long hits = add(subject, window, 1);
        return new Verdict(hits <= limit, Math.max(0, limit - hits), reset(window));
    }

    /** Keeps {@code map} below {@code max} entries: the spent ones go first and, if that is not enough, all. */
    private static <V> void makeRoom(Map<String, V> map, int max, Predicate<V> spent) {
        if (map.size() >= max) {
            map.values().removeIf(spent);
            if (map.size() >= max) {
                map.clear();
            }
        }
    }

    /** Adds {@code hits} to the subject's count in the window; the count after. */
    private long add(String subject, long window, int hits) {
        return Long.parseLong(db.updateItem(u -> u.tableName(table)
                .key(key(subject, Long.toString(window)))
                .updateExpression("ADD hits :hits SET #ttl = :ttl")
                .expressionAttributeNames(Map.of("#ttl", Table.TTL))
                .expressionAttributeValues(Map.of(":hits", n(hits), ":ttl", n(window + 120)))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes().get("hits").n());
    }

    /** The window {@code nowMillis} falls in, in epoch seconds. */
    private static long window(long nowMillis) {
        return Math.floorDiv(nowMillis, 60_000L) * 60;
    }

    private static long reset(long window) {
        return (window + 60) * 1000;
    }
}
