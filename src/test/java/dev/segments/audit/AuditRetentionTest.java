package dev.segments.audit;

import static dev.segments.audit.AuditLogTest.all;
import static dev.segments.audit.AuditLogTest.spec;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import dev.segments.web.AppClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Entries older than the retention (90 days in the tests) are hidden before DynamoDB's TTL deletes them. */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class AuditRetentionTest {

    @Inject
    AppClock clock;

    @AfterEach
    void realTime() {
        clock.use(Clock.systemUTC());
    }

    @Test
    void entriesPastTheRetentionAreHidden() {
        Fixture f = segmentWithUsers("u");
        String id = all(spec(f), 20).get(0).getString("_id");
        clock.use(Clock.fixed(Instant.now().plusSeconds(89L * 86_400), ZoneOffset.UTC));
        assertEquals(2, all(spec(f), 20).size(), "within the retention");
        clock.use(Clock.fixed(Instant.now().plusSeconds(91L * 86_400), ZoneOffset.UTC));
        assertEquals(0, all(spec(f), 20).size());
        admin().get("/api/v2/auditlog/" + id).then().statusCode(404);
    }
}
