package dev.segments.segment.store;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.patchExpiring;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.dynamo.Table;
import dev.segments.expiry.LocalSweeper;
import dev.segments.ops.Deadlines;
import dev.segments.segment.Actor;
import dev.segments.segment.Edit;
import dev.segments.segment.Segment;
import dev.segments.segment.ExpiringTargetInstruction;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentPatches;
import dev.segments.segment.SegmentPatches.PartialOutcome;
import dev.segments.segment.TargetRef;
import dev.segments.segment.TargetType;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import dev.segments.web.AppClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A write starts from the segment the instance kept ({@link KeptHeads}) and reads only when it
 * must: a warm PATCH is the entry copy and the conditional PutItem; a kept segment another
 * instance moved on fails the condition and the PATCH applies to the segment as it is; a kept
 * segment too old, or one whose environment this instance deleted, is read again. The clock is
 * fixed so that "within {@link KeptHeads#TRUST_MILLIS}" does not depend on the machine's speed.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class KeptHeadsTest {

    static final long NOW = System.currentTimeMillis();
    static final long FUTURE = NOW + 86_400_000L;

    @Inject
    AppClock clock;

    @Inject
    LocalSweeper sweeper;

    @Inject
    Table table;

    @Inject
    Deadlines deadlines;

    @AfterEach
    void realTime() {
        clock.use(Clock.systemUTC());
    }

    void at(long millis) {
        clock.use(Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
    }

    Map<String, Long> requestsOf(Runnable call) {
        return BigSegmentTest.requestsOf(sweeper, call);
    }

    @Test
    void aWarmPatchWritesWithoutReadingAndAColdOneReads() {
        at(NOW);
        Fixture f = segmentWithUsers("u0", "u1", "u2");
        Map<String, Long> warm = requestsOf(() -> patchExpiring(f, add("u1", FUTURE)).then().statusCode(200).body("errors", empty()));
        assertEquals(Map.of("PutItem", 1L), warm, "the conditional write alone, the earlier commits' entries held in the head");

        at(NOW + KeptHeads.TRUST_MILLIS + 1);
        Map<String, Long> cold = requestsOf(() -> patchExpiring(f, add("u2", FUTURE)).then().statusCode(200).body("errors", empty()));
        assertEquals(Map.of("BatchGetItem", 1L, "PutItem", 1L), cold, "the environment checked again");
    }

    @Test
    void fiftyWarmPatchesCopyTheAuditOutAtMostOncePerTenCommits() {
        at(NOW);
        Fixture f = segmentWithUsers(IntStream.range(0, 50).mapToObj(i -> "u" + i).toArray(String[]::new));
        Map<String, Long> requests = requestsOf(() -> {
            for (int i = 0; i < 50; i++) {
                patchExpiring(f, add("u" + i, FUTURE)).then().statusCode(200).body("errors", empty());
            }
        });
        assertEquals(50L, requests.get("PutItem"), "one conditional write each: " + requests);
        assertTrue(requests.getOrDefault("BatchWriteItem", 0L) <= 5, "entries copied out once per ten commits: " + requests);
        assertEquals(Set.of("PutItem", "BatchWriteItem"), requests.keySet(), "nothing read: " + requests);
    }

    @Test
    void aCommitMoreThanTheHeadSpanAfterTheHeldOnesCopiesThemOut() {
        at(NOW);
        Fixture f = segmentWithUsers("u0", "u1");
        at(NOW + AuditIndex.HEAD_SPAN_MILLIS + 1);
        Map<String, Long> later = requestsOf(() -> patchExpiring(f, add("u1", FUTURE)).then().statusCode(200).body("errors", empty()));
        assertEquals(Map.of("BatchGetItem", 1L, "BatchWriteItem", 1L, "PutItem", 1L), later,
                "the held entries copied out, so that a head spans at most a minute of the audit log");
    }

    @Test
    void whatAnotherInstanceWroteIsReadWhenTheKeptSegmentFailsOrRefuses() {
        at(NOW);
        Fixture f = segmentWithUsers("u0");
        SegmentKey key = new SegmentKey(f.project(), f.environment(), f.segment());
        SegmentStore other = new SegmentStore(table, 90, clock, deadlines);
        Edit edit = new Edit(NOW, new Actor("other", "other"), null, () -> "0123456789abcdef01234567");
        // Another instance schedules u0: this instance's kept segment (from the create's PATCH) is now behind.
        other.update(key, stored -> SegmentPatches.expiringTargets(stored,
                List.of(new ExpiringTargetInstruction.Add(new TargetRef(TargetType.INCLUDED, "user", "u0"), FUTURE)), edit),
                PartialOutcome::revision).orElseThrow();

        // Scheduling u0 again with the same date changes nothing: answered from the segment as it is, u0's schedule in it.
        patchExpiring(f, add("u0", FUTURE)).then().statusCode(200).body("errors", empty()).body("items.size()", equalTo(1));
        // Moving it at the segment's version 3 (create, users, the other's schedule) is refused by the kept
        // segment (version 2), then applies to the segment as read.
        patchExpiring(f, Api.update("u0", FUTURE + 1000, 3)).then().statusCode(200).body("errors", empty())
                .body("items[0]._version", equalTo(2)).body("items[0].expirationDate", equalTo(FUTURE + 1000));
        assertEquals(4L, other.find(key).orElseThrow().version());
    }

    @Test
    void aChunkedSegmentReadAgainUnchangedKeepsItsTargetsAndOneChangedElsewhereIsReadAsItIs() {
        at(NOW);
        Fixture f = segmentWithUsers(IntStream.range(0, 3_000).mapToObj(i -> "user-with-a-key-of-some-length-" + i).toArray(String[]::new));
        SegmentKey key = new SegmentKey(f.project(), f.environment(), f.segment());
        SegmentStore store = new SegmentStore(table, 90, clock, deadlines);
        SegmentStore other = new SegmentStore(table, 90, clock, deadlines);
        Segment first = store.find(key).orElseThrow();
        Segment again = store.find(key).orElseThrow();
        // The same chunks: the 3,000 targets are taken as this instance holds them, not gathered again.
        assertTrue(first.targets() == again.targets() && first.schedules() == again.schedules(), "the segment's collections gathered again");

        Edit edit = new Edit(NOW, new Actor("other", "other"), null, () -> "0123456789abcdef01234567");
        TargetRef user = new TargetRef(TargetType.INCLUDED, "user", "user-with-a-key-of-some-length-7");
        other.update(key, stored -> SegmentPatches.expiringTargets(stored, List.of(new ExpiringTargetInstruction.Add(user, FUTURE)), edit),
                PartialOutcome::revision).orElseThrow();
        Segment changed = store.find(key).orElseThrow();
        assertEquals(Set.of(user), changed.schedules().keySet(), "the chunk the other instance wrote is read");
        assertEquals(3_000, changed.targets().size());
    }

    @Test
    void aSegmentOfAnEnvironmentThisInstanceDeletedAnswers404AtOnce() {
        at(NOW);
        Fixture f = segmentWithUsers("u0");
        admin().delete("/api/v2/projects/" + f.project() + "/environments/" + f.environment()).then().statusCode(204);
        patchExpiring(f, add("u0", FUTURE)).then().statusCode(404);
    }
}
