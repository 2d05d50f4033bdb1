package dev.segments.web;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.segment.SegmentKey;
import dev.segments.segment.store.SegmentStore;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.StoreFaults;
import dev.segments.testing.StoreProxy;
import dev.segments.testing.StoreProxy.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests end with an answer of their own before the function's timeout, whatever the store
 * does: 503 {@code service_unavailable} with {@code Retry-After} when it throttles or fails for
 * longer than the request's time (here a 4 s budget, deployed the Lambda invocation's deadline
 * less a margin), and the message says what is known about the outcome. Items a batch call
 * hands back are sent again within the same deadline.
 */
@QuarkusTest
@TestProfile(StoreFaults.ShortDeadline.class)
class DeadlineTest {

    /** Lambda's timeout in template.yaml: no request may come near it. */
    static final long FUNCTION_TIMEOUT_MILLIS = 15_000;

    @Inject
    SegmentStore store;

    @AfterEach
    void heal() {
        StoreFaults.proxy.heal();
    }

    @Test
    void headWritesThrottledPastTheDeadlineAnswer503AndDoNotClaimNothingChanged() {
        Fixture f = segmentWithUsers("u");
        SegmentKey key = new SegmentKey(f.project(), f.environment(), f.segment());
        long version = store.find(key).orElseThrow().version();
        for (Fault fault : List.of(Fault.THROTTLING, Fault.PROVISIONED_THROUGHPUT_EXCEEDED, Fault.SERVER_ERROR)) {
            StoreFaults.proxy.failRandomly(1.0, 1, Set.of("PutItem"), List.of(fault));
            long started = System.nanoTime();
            Response r = Api.patchExpiring(f, add("u", System.currentTimeMillis() + 86_400_000L));
            long millis = (System.nanoTime() - started) / 1_000_000;
            StoreFaults.proxy.heal();
            r.then().statusCode(503).body("code", equalTo("service_unavailable"));
            assertNotNull(r.header("Retry-After"), "503 without Retry-After");
            String message = r.jsonPath().getString("message");
            // The write was sent and never confirmed: the service cannot know it was not applied.
            assertFalse(message.contains("Nothing was changed"), message);
            assertTrue(message.contains("may or may not"), message);
            assertTrue(millis < FUNCTION_TIMEOUT_MILLIS, fault + ": answered after " + millis + " ms");
            assertEquals(version, store.find(key).orElseThrow().version(), "throttled writes applied nothing");
            System.out.printf("Deadline: every PutItem answered %s: 503 after %d ms (budget %d ms), \"%s\"%n", fault, millis,
                    StoreFaults.ShortDeadline.BUDGET_MILLIS, message);
        }
        Api.patchExpiring(f, add("u", System.currentTimeMillis() + 86_400_000L)).then().statusCode(200);
    }

    @Test
    void throttledReadsAnswer503AndAPatchThatReadNothingSaysNothingChanged() {
        Fixture f = segmentWithUsers("u");
        // A segment is read with one BatchGetItem (its head and its project's item), other items with GetItem.
        StoreFaults.proxy.failRandomly(1.0, 2, Set.of("GetItem", "BatchGetItem"), List.of(Fault.THROTTLING));
        long started = System.nanoTime();
        Response get = admin().get(f.segmentPath());
        Response patch = Api.patchExpiring(f, add("u", System.currentTimeMillis() + 86_400_000L));
        long millis = (System.nanoTime() - started) / 1_000_000;
        StoreFaults.proxy.heal();
        for (Response r : List.of(get, patch)) {
            r.then().statusCode(503).body("code", equalTo("service_unavailable"));
            assertNotNull(r.header("Retry-After"));
        }
        assertFalse(get.jsonPath().getString("message").contains("Nothing was changed"), "a read claims nothing");
        assertTrue(patch.jsonPath().getString("message").contains("Nothing was changed"), "it failed before any write");
        assertTrue(millis < 2 * FUNCTION_TIMEOUT_MILLIS, "two requests took " + millis + " ms");
    }

    @Test
    void unprocessedBatchItemsAreRetriedWithinTheDeadline() throws InterruptedException {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            users.add(String.format("partial-user-%05d@example.com", i));
        }
        Fixture f = segmentWithUsers(users.toArray(String[]::new));
        SegmentKey key = new SegmentKey(f.project(), f.environment(), f.segment());
        long date = System.currentTimeMillis() + 86_400_000L;
        Object[] schedules = new Object[200];
        for (int i = 0; i < schedules.length; i++) {
            schedules[i] = add(users.get(i), date + i);
        }
        // Half of the batch calls process only part of their items: sent again until done.
        StoreFaults.proxy.resetCounts();
        StoreFaults.proxy.failRandomly(0.5, 3, Set.of("BatchGetItem", "BatchWriteItem"), List.of(Fault.PARTIAL_BATCH));
        Api.patchExpiring(f, schedules).then().statusCode(200).body("errors", empty());
        admin().get(f.expiringPath()).then().statusCode(200).body("items.size()", equalTo(schedules.length));
        Map<String, Long> cutShort = StoreFaults.proxy.faults();
        assertTrue(cutShort.getOrDefault("PARTIAL_BATCH", 0L) > 0, "batches were cut short: " + cutShort);

        // Every batch write hands items back. A change past what the head's patch carries writes its chunks before its head:
        // the request gives up at its deadline, before its head write.
        long version = store.find(key).orElseThrow().version();
        Object[] many = new Object[80];
        for (int i = 0; i < many.length; i++) {
            many[i] = add(users.get(300 + i), date);
        }
        StoreFaults.proxy.failRandomly(1.0, 4, Set.of("BatchWriteItem"), List.of(Fault.PARTIAL_BATCH));
        long started = System.nanoTime();
        Response r = Api.patchExpiring(f, many);
        long millis = (System.nanoTime() - started) / 1_000_000;
        r.then().statusCode(503).body("code", equalTo("service_unavailable"));
        assertNotNull(r.header("Retry-After"));
        assertTrue(r.jsonPath().getString("message").contains("Nothing was changed"), r.jsonPath().getString("message"));
        assertTrue(millis < FUNCTION_TIMEOUT_MILLIS, "answered after " + millis + " ms");
        assertEquals(version, store.find(key).orElseThrow().version());

        // A change of ten schedules goes into the head's patch, past the bound above which the patched buckets' chunks are
        // written along with the head: with their write getting no answer, the head is stored, and the answer does not wait
        // out the deadline for the chunks.
        StoreFaults.proxy.heal();
        Object[] ten = Api.addAll(Api.spread(users, 400), date);
        StoreProxy.Hold hold = StoreFaults.proxy.holdNext("BatchWriteItem");
        started = System.nanoTime();
        Response one = Api.patchExpiring(f, ten);
        long oneMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(hold.awaitArrival(0), "the chunks were written along with the head");
        hold.release();
        one.then().statusCode(200).body("errors", empty());
        assertTrue(oneMillis < millis * 3 / 4, "answered after " + oneMillis + " ms, where waiting out the deadline took " + millis + " ms");
        assertEquals(version + 1, store.find(key).orElseThrow().version());
        System.out.printf("Deadline: with half of the batch calls cut short (%s), a PATCH and a GET of a 4,000-user segment "
                + "completed; with every batch write handing items back, 503 after %d ms (budget %d ms), nothing changed, and a "
                + "ten-schedule PATCH whose chunks got no answer answered 200 after %d ms%n", cutShort, millis, StoreFaults.ShortDeadline.BUDGET_MILLIS, oneMillis);
    }
}
