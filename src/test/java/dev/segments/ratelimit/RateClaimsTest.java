package dev.segments.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.dynamo.Attributes;
import dev.segments.dynamo.Table;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Instances claim a window's hits a few at a time against the shared count: a write per claim,
 * not per request, and never more than the limit through, however the instances interleave.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class RateClaimsTest {

    static final long WINDOW_START = 1_900_000_000_000L - 1_900_000_000_000L % 60_000;

    @Inject
    Table table;

    /** The shared count of the subject's window as the table holds it. */
    long hits(String token, String route) {
        return Long.parseLong(table.client().getItem(g -> g.tableName(table.name()).consistentRead(true)
                .key(Attributes.key("RATE#" + token + "#" + route, Long.toString(WINDOW_START / 1000)))).item().get("hits").n());
    }

    @Test
    void aClaimCoversASixtiethOfTheLimitAndSmallLimitsCountEachRequest() {
        assertEquals(1, RateLimiter.claimSize(5));
        assertEquals(1, RateLimiter.claimSize(119));
        assertEquals(2, RateLimiter.claimSize(120));
        assertEquals(10, RateLimiter.claimSize(600));
        assertEquals(RateLimiter.MAX_CLAIM, RateLimiter.claimSize(1_000_000));
    }

    @Test
    void requestsAreNumberedFromTheInstancesClaimWithOneWritePerClaim() {
        RateLimiter limiter = new RateLimiter(table, 600, 0);
        String token = UUID.randomUUID().toString();
        for (int i = 1; i <= 25; i++) {
            RateLimiter.Verdict verdict = limiter.hit(token, "GET:route", WINDOW_START + 1_000 + i);
            assertTrue(verdict.allowed());
            assertEquals(600 - i, verdict.remaining(), "request " + i);
            assertEquals(WINDOW_START + 60_000, verdict.resetMillis());
        }
        assertEquals(30, hits(token, "GET:route"), "25 requests took 3 claims of 10: one write each");
        // The next window starts afresh.
        assertEquals(599, limiter.hit(token, "GET:route", WINDOW_START + 60_000).remaining());
    }

    @Test
    void instancesSharingACountNeverLetMoreThanTheLimitThrough() {
        RateLimiter one = new RateLimiter(table, 120, 0);
        RateLimiter two = new RateLimiter(table, 120, 0);
        String token = UUID.randomUUID().toString();
        int allowed = 0;
        for (int i = 0; i < 300; i++) {
            RateLimiter instance = i % 3 == 0 ? one : two;
            if (instance.hit(token, "PATCH:route", WINDOW_START + 5_000 + i).allowed()) {
                allowed++;
            }
        }
        assertTrue(allowed <= 120, allowed + " allowed");
        assertTrue(allowed >= 120 - 2 * (RateLimiter.claimSize(120) - 1), allowed + " allowed: at most a claim each left unused");
        long spent = hits(token, "PATCH:route");
        assertFalse(one.hit(token, "PATCH:route", WINDOW_START + 6_000).allowed());
        assertFalse(two.hit(token, "PATCH:route", WINDOW_START + 6_000).allowed());
        assertEquals(spent, hits(token, "PATCH:route"), "a spent window is refused without a write");
    }
}
