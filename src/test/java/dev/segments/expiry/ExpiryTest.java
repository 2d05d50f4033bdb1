package dev.segments.expiry;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.patchExpiring;
import static dev.segments.testing.Api.segmentWithUsers;
import static dev.segments.testing.Api.version;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.segment.Change;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.store.SegmentStore;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import dev.segments.web.AppClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class ExpiryTest {

    @Inject
    AppClock clock;

    @Inject
    SegmentStore store;

    @Inject
    Sweeper sweeper;

    @AfterEach
    void realTime() {
        clock.use(Clock.systemUTC());
    }

    void at(long millis) {
        clock.use(Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
    }

    static SegmentKey key(Fixture f) {
        return new SegmentKey(f.project(), f.environment(), f.segment());
    }

    @Test
    void readsAreExactAtTheMillisecond() {
        long t0 = System.currentTimeMillis();
        at(t0);
        Fixture f = segmentWithUsers("leaving", "staying");
        long due = t0 + 60_000;
        patchExpiring(f, add("leaving", due)).then().statusCode(200);
        long version = version(f);

        at(due - 1);
        admin().get(f.segmentPath()).then().body("included", equalTo(List.of("leaving", "staying"))).body("version", equalTo((int) version));
        admin().get(f.expiringPath()).then().body("items.userKey", equalTo(List.of("leaving")));

        at(due);
        admin().get(f.segmentPath()).then().body("included", equalTo(List.of("staying"))).body("version", equalTo((int) version + 1));
        admin().get(f.expiringPath()).then().body("items", empty());
        admin().get("/api/v2/segments/" + f.project() + "/" + f.environment()).then()
                .body("items[0].included", equalTo(List.of("staying")));

        // A write after the due time works on the segment as if the removal had been carried out.
        patchExpiring(f, add("leaving", due + 1000)).then().statusCode(200).body("failedInstructions", equalTo(1));
        patchExpiring(f, Api.update("staying", due + 1000, version + 1)).then().statusCode(200)
                .body("failedInstructions", equalTo(1));
    }

    @Test
    void aRealTwoSecondExpiryIsWrittenBackByTheRunningSweeper() {
        Fixture f = segmentWithUsers("u", "v");
        long due = System.currentTimeMillis() + 2000;
        patchExpiring(f, add("u", due)).then().statusCode(200);
        long version = version(f);
        assertTrue(store.find(key(f)).orElseThrow().targets().size() == 2);
        await(() -> store.find(key(f)).orElseThrow().schedules().isEmpty(), 10_000);
        long storedAt = System.currentTimeMillis();
        Segment stored = store.find(key(f)).orElseThrow();
        assertEquals(List.of("v"), stored.keys(dev.segments.segment.TargetType.INCLUDED, "user"));
        assertEquals(version + 1, stored.version());
        assertTrue(storedAt - due < 60_000, "stored " + (storedAt - due) + " ms after due");
        System.out.println("Expiry stored " + (storedAt - due) + " ms after its due time (sweeper interval 1 s)");
        Change last = history(f).get(history(f).size() - 1);
        assertEquals(Change.SERVICE, last.actor());
    }

    @Test
    void theScheduledEventRunsTheSweeperThroughTheLambdaPath() throws IOException {
        long t0 = System.currentTimeMillis();
        Fixture f = segmentWithUsers("u");
        patchExpiring(f, add("u", t0 + 60_000)).then().statusCode(200);
        at(t0 + 61_000);
        String event;
        try (InputStream in = getClass().getResourceAsStream("/sweep-event.json")) {
            event = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // Posted straight to the mock Lambda event server: the same event the schedule sends.
        RestAssured.given().contentType("application/json").body(event).post("/_lambda_").then()
                .statusCode(200).body("statusCode", equalTo(200));
        await(() -> store.find(key(f)).orElseThrow().schedules().isEmpty(), 5_000);
        assertTrue(store.find(key(f)).orElseThrow().targets().isEmpty());
    }

    @Test
    void deletingASegmentLeavesNothingForTheSweeper() {
        long t0 = System.currentTimeMillis();
        Fixture f = segmentWithUsers("u");
        patchExpiring(f, add("u", t0 + 60_000)).then().statusCode(200);
        admin().delete(f.segmentPath()).then().statusCode(204);
        at(t0 + 120_000);
        assertFalse(due(t0 + 120_000).contains(key(f)));
    }

    @Test
    void removingAUserTakesTheSegmentOutOfTheDueIndex() {
        long t0 = System.currentTimeMillis();
        Fixture f = segmentWithUsers("u");
        patchExpiring(f, add("u", t0 + 60_000)).then().statusCode(200);
        assertTrue(due(t0 + 61_000).contains(key(f)));
        admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(), "instructions",
                List.of(Map.of("kind", "removeIncludedUsers", "values", List.of("u"))))).patch(f.segmentPath()).then().statusCode(200);
        assertFalse(due(t0 + 61_000).contains(key(f)));
    }

    /** The segments due by {@code now}, over all shards of the due index. */
    List<SegmentKey> due(long now) {
        List<SegmentKey> due = new ArrayList<>();
        for (int shard = 0; shard < SegmentStore.DUE_SHARDS; shard++) {
            due.addAll(store.due(shard, now).segments());
        }
        return due;
    }

    List<Change> history(Fixture f) {
        return store.history(key(f));
    }

    static void await(BooleanSupplier condition, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within " + timeoutMillis + " ms");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
