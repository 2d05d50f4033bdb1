package dev.segments.segment.store;

import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.segmentWithUsers;
import static dev.segments.testing.Api.update;
import static dev.segments.testing.Api.version;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.dynamo.RequestCounter;
import dev.segments.expiry.LocalSweeper;
import dev.segments.segment.Actor;
import dev.segments.segment.Edit;
import dev.segments.segment.ExpiringTargetInstruction;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentPatches.PartialOutcome;
import dev.segments.segment.SegmentPatches;
import dev.segments.segment.TargetRef;
import dev.segments.segment.TargetType;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Api;
import dev.segments.testing.Dynalite;
import dev.segments.web.AppClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A segment at LaunchDarkly's limit for standard segments: 15,000 included users, each with a
 * scheduled removal. Its state is several times what one DynamoDB item holds, so it lives in
 * chunks; a PATCH that touches one user must write its head alone, the change in its patch,
 * rewriting no chunk, and an instance that has read or written the segment's chunks reads none
 * of them again.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class BigSegmentTest {

    static final int USERS = 15_000;

    @Inject
    SegmentStore store;

    @Inject
    LocalSweeper sweeper;

    @Inject
    AppClock clock;

    Map<String, Long> requestsOf(Runnable call) {
        return requestsOf(sweeper, call);
    }

    /**
     * Counts the requests {@code call} makes, with the in-process sweeper paused so that only they
     * count (a sweep under way may still query its index: queries are left out).
     */
    static Map<String, Long> requestsOf(LocalSweeper sweeper, Runnable call) {
        sweeper.stop();
        try {
            Map<String, Long> before = RequestCounter.requests();
            call.run();
            Map<String, Long> requests = RequestCounter.since(before, RequestCounter.requests());
            requests.remove("Query");
            return requests;
        } finally {
            sweeper.start();
        }
    }

    @Test
    void fifteenThousandScheduledUsersAndAPatchRewritesOnlyWhatChanged() {
        Fixture f = segmentWithUsers();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(String.format("user-%05d@example.com", i));
        }
        // Through the API, 1,500 users a request.
        for (int from = 0; from < USERS; from += 1500) {
            admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(), "instructions",
                    List.of(Map.of("kind", "addIncludedUsers", "values", users.subList(from, from + 1500)))))
                    .patch(f.segmentPath()).then().statusCode(200);
        }
        // The API takes 250 instructions a request; to keep the test short the 15,000 schedules go
        // in as one revision through the same store and core the API uses.
        long base = System.currentTimeMillis() + 86_400_000L;
        List<ExpiringTargetInstruction> schedules = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            schedules.add(new ExpiringTargetInstruction.Add(new TargetRef(TargetType.INCLUDED, "user", users.get(i)), base + i));
        }
        AtomicInteger ids = new AtomicInteger();
        Edit edit = new Edit(System.currentTimeMillis(), new Actor("test", "test"), null, () -> String.format("%024x", ids.incrementAndGet()));
        PartialOutcome seeded = store.update(new SegmentKey(f.project(), f.environment(), f.segment()),
                stored -> SegmentPatches.expiringTargets(stored, schedules, edit), PartialOutcome::revision).orElseThrow();
        assertEquals(List.of(), seeded.errors());

        JsonPath all = admin().get(f.expiringPath()).then().statusCode(200).extract().jsonPath();
        assertEquals(USERS, all.getList("items").size());
        assertEquals(users.get(0), all.getString("items[0].userKey"));
        assertEquals(users.get(USERS - 1), all.getString("items[" + (USERS - 1) + "].userKey"));
        admin().get(f.segmentPath()).then().statusCode(200).body("included.size()", equalTo(USERS));

        long version = version(f);
        Map<String, Long> bytesBefore = RequestCounter.bytes();
        Map<String, Long> requests = requestsOf(() -> admin().contentType(Api.SEMANTIC_PATCH)
                .body(Map.of("instructions", List.of(update(users.get(7), base + 1_000_000, version))))
                .patch(f.expiringPath()).then().statusCode(200)
                .body("errors", empty())
                .body("items.size()", equalTo(USERS)));
        Map<String, Long> bytes = RequestCounter.since(bytesBefore, RequestCounter.bytes());
        System.out.println("PATCH of 1 user on a 15,000-user segment: requests " + requests + ", request bytes " + bytes);

        assertTrue(requests.getOrDefault("BatchGetItem", 0L) <= 1,
                "at most one read, of the head with its project (none if the instance kept the segment): it holds every chunk");
        assertEquals(1L, requests.get("PutItem"), "one conditional write of the head");
        assertEquals(Set.of(), requests.keySet().stream().filter(name -> !Set.of("BatchGetItem", "PutItem").contains(name))
                .collect(Collectors.toSet()), "nothing else written: the change is in the head's patch, no chunk is rewritten");
        long read = store.find(new SegmentKey(f.project(), f.environment(), f.segment())).orElseThrow().targets().size();
        assertEquals(USERS, read);
        // The head names its 128 chunks in 16 characters each: 13,769 bytes (16,329 with 36-character UUIDs).
        long head = bytes.get("PutItem");
        assertTrue(head < 15_000, "a one-user change wrote " + head + " bytes; the segment holds about 1.3 MB");
        assertEquals(version + 1, version(f));
    }

    @Test
    void aPatchOnASmallSegmentCostsOneReadAndOneWrite() {
        Fixture f = segmentWithUsers("u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9");
        // Past the time a kept segment is trusted (a warm PATCH: KeptHeadsTest).
        clock.use(Clock.offset(Clock.systemUTC(), Duration.ofMillis(KeptHeads.TRUST_MILLIS + 1)));
        Map<String, Long> requests;
        try {
            requests = requestsOf(() -> admin().contentType(Api.SEMANTIC_PATCH)
                    .body(Map.of("instructions", List.of(Api.add("u3", System.currentTimeMillis() + 86_400_000L))))
                    .patch(f.expiringPath()).then().statusCode(200).body("errors", empty()));
        } finally {
            clock.use(Clock.systemUTC());
        }
        System.out.println("PATCH of 1 user on a 10-user segment: requests " + requests);
        // The read (the head with its project, whose environment it must belong to) and the conditional write;
        // the earlier commits' audit entries stay in the head (copied out once per ten commits: KeptHeadsTest).
        assertEquals(Map.of("BatchGetItem", 1L, "PutItem", 1L), requests);
    }
}
