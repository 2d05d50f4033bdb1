package dev.segments.bench;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.patchExpiring;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.expiry.Sweeper;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import dev.segments.testing.SweeperOff;
import dev.segments.web.AppClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The sweeper carrying out 15,000 due removals spread over 100 segments, against dynalite. */
@QuarkusTest
@Tag("benchmark")
@QuarkusTestResource(Dynalite.class)
@TestProfile(SweeperOff.class)
class SweeperBenchmark {

    static final int SEGMENTS = 100;
    static final int USERS_PER_SEGMENT = 150;

    @Inject
    Sweeper sweeper;

    @Inject
    AppClock clock;

    @Test
    void sweep15000DueRemovalsOver100Segments() {
        long t0 = System.currentTimeMillis();
        for (int s = 0; s < SEGMENTS; s++) {
            String[] users = new String[USERS_PER_SEGMENT];
            Object[] schedules = new Object[USERS_PER_SEGMENT];
            for (int u = 0; u < USERS_PER_SEGMENT; u++) {
                users[u] = "user-" + s + "-" + u;
                schedules[u] = add(users[u], t0 + 60_000 + u);
            }
            Fixture f = segmentWithUsers(users);
            patchExpiring(f, schedules).then().statusCode(200);
        }
        clock.use(Clock.fixed(Instant.ofEpochMilli(t0 + 120_000), ZoneOffset.UTC));
        try {
            long start = System.nanoTime();
            Sweeper.Result result = sweeper.sweep();
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(SEGMENTS * USERS_PER_SEGMENT, result.expired());
            System.out.printf("%nBENCHMARK sweeper: %d removals in %d segments in %.2f s = %.0f expiries/s (%.1f ms per segment)%n%n",
                    result.expired(), result.segments(), seconds, result.expired() / seconds, seconds * 1000 / result.segments());
            assertEquals(0, sweeper.sweep().expired(), "a second sweep finds nothing left");
        } finally {
            clock.use(Clock.systemUTC());
        }
    }
}
