package dev.segments.project;

import static dev.segments.dynamo.Attributes.s;
import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.patchExpiring;
import static dev.segments.testing.Api.segmentWithUsers;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.dynamo.Table;
import dev.segments.ops.Deadline;
import dev.segments.segment.Actor;
import dev.segments.segment.Change;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.store.LeftoverSegments;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import dev.segments.testing.SweeperOff;
import dev.segments.web.AppClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The cleanup after a deleted environment or project, driven by hand (no sweeper runs here):
 * bounded runs, progress that survives a run dying half-way, nothing touched for a deletion that
 * never happened, and items read straight from the table to show what went.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
@TestProfile(SweeperOff.class)
class LeftoverCleanupTest {

    static final long FUTURE = System.currentTimeMillis() + 86_400_000L;

    @Inject
    LeftoverCleanup cleanup;

    @Inject
    LeftoverSegments leftovers;

    @Inject
    DeletedEnvironments deletions;

    @Inject
    ProjectStore projects;

    @Inject
    AppClock clock;

    @Inject
    Table table;

    @AfterEach
    void realTime() {
        clock.use(Clock.systemUTC());
    }

    void runAfterTheGrace() {
        clock.use(Clock.fixed(Instant.now().plusMillis(LeftoverCleanup.GRACE_MILLIS + 60_000), ZoneOffset.UTC));
        for (int i = 0; i < 20 && !deletions.pending().isEmpty(); i++) {
            cleanup.run();
        }
        clock.use(Clock.systemUTC());
    }

    List<Map<String, AttributeValue>> items(String pk) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        table.client().queryPaginator(q -> q.tableName(table.name()).consistentRead(true).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(pk)))).items().forEach(items::add);
        return items;
    }

    List<Map<String, AttributeValue>> heads(Fixture f) {
        return items("SEGMENTS#" + f.project() + "#" + f.environment());
    }

    static long tombstones(List<Map<String, AttributeValue>> heads) {
        return heads.stream().filter(h -> h.containsKey("deleted")).count();
    }

    void createSegments(Fixture f, int count) {
        IntStream.range(0, count).forEach(i -> admin().contentType(ContentType.JSON).body(Map.of("key", "s" + i, "name", "S" + i))
                .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(201));
    }

    long deletionEntries(Fixture f, String segment) {
        String spec = "proj/" + f.project() + ":env/" + f.environment() + ":segment/" + segment;
        List<String> verbs = admin().queryParam("spec", spec).queryParam("limit", "20").get("/api/v2/auditlog").then().statusCode(200)
                .extract().jsonPath().getList("items.titleVerb");
        return verbs.stream().filter("deleted the segment"::equals).count();
    }

    /**
     * A create that lost to a leftover asks the cleanup to clear it; when the scheduled cleanup
     * got there first (between the create's read and its write), the key is clear all the same,
     * and the create may go ahead. A live segment of the environment as it is now stays.
     */
    @Test
    void aKeyTheCleanupClearedFirstIsClearForACreate() {
        Fixture f = segmentWithUsers("u1");
        SegmentKey key = new SegmentKey(f.project(), f.environment(), f.segment());
        admin().delete("/api/v2/projects/" + f.project() + "/environments/" + f.environment()).then().statusCode(204);
        admin().contentType(ContentType.JSON).body(Map.of("key", f.environment(), "name", "Again", "color", "000000"))
                .post("/api/v2/projects/" + f.project() + "/environments").then().statusCode(201);
        cleanup.run();
        assertEquals(1, tombstones(heads(f)), "the scheduled cleanup tombstoned the leftover");

        assertTrue(cleanup.clear(key), "nothing of the deleted environment stands under the key");
        admin().contentType(ContentType.JSON).body(Map.of("key", f.segment(), "name", "New"))
                .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(201);
        assertFalse(cleanup.clear(key), "the new segment is no leftover");
    }

    @Test
    void runsAreBoundedAndTakeSegmentsChunksAndDueEntriesAway() {
        List<String> users = IntStream.range(0, 3000).mapToObj(i -> "user-" + i + "-" + "x".repeat(20)).toList();
        Fixture f = segmentWithUsers(users.toArray(String[]::new));
        patchExpiring(f, add(users.get(0), FUTURE)).then().statusCode(200);
        createSegments(f, 150);
        String chunkPk = "CHUNK#" + f.project() + "#" + f.environment() + "#" + f.segment();
        assertTrue(items(chunkPk).size() > 1, "the big segment keeps its targets in chunks");
        assertTrue(heads(f).stream().anyMatch(h -> h.containsKey(Table.DUE_SHARD)), "its schedule is in the due index");

        admin().delete("/api/v2/projects/" + f.project() + "/environments/" + f.environment()).then().statusCode(204);
        admin().get(f.segmentPath()).then().statusCode(404);
        assertEquals(0, tombstones(heads(f)), "the delete itself only took the environment out of its project");

        long before = 0;
        int runs = 0;
        while (tombstones(heads(f)) < 151) {
            assertTrue(++runs <= 10, "the cleanup should finish 151 segments in a few runs");
            cleanup.run();
            long now = tombstones(heads(f));
            assertTrue(now - before <= LeftoverCleanup.HEADS_PER_RUN, "one run tombstoned " + (now - before));
            before = now;
        }
        assertTrue(runs >= 2, "151 segments take more than one run of " + LeftoverCleanup.HEADS_PER_RUN);
        assertFalse(heads(f).stream().anyMatch(h -> h.containsKey(Table.DUE_SHARD)), "no tombstone stays in the due index");
        // The head's chunks go with it; the one the PATCH superseded waits in the due index for the sweeper's check.
        assertTrue(items(chunkPk).stream().allMatch(chunk -> chunk.containsKey(Table.TTL) || chunk.containsKey(Table.DUE_AT)),
                "every chunk is retired or due to be checked");
        assertTrue(items(chunkPk).stream().filter(chunk -> chunk.containsKey(Table.TTL)).count() > 1, "the head's chunks are retired");
        assertEquals(1, deletionEntries(f, f.segment()));
        assertEquals(1, deletionEntries(f, "s7"));

        String id = deletionIdOf(f);
        assertTrue(deletions.find(id).isPresent(), "kept until a pass that began after the grace found nothing");
        runAfterTheGrace();
        assertFalse(deletions.find(id).isPresent());
    }

    String deletionIdOf(Fixture f) {
        return deletions.pending().stream().filter(d -> d.projectKey().equals(f.project())).findFirst().orElseThrow().environmentId();
    }

    @Test
    void theScheduledSweepInvocationRunsTheCleanupToo() {
        Fixture f = segmentWithUsers("u1");
        admin().delete("/api/v2/projects/" + f.project() + "/environments/" + f.environment()).then().statusCode(204);
        // The deployed schedule's entry point (not part of LaunchDarkly's API, so without the contract filter).
        given().post("/internal/sweep").then().statusCode(200)
                .body("leftoversDeleted", greaterThanOrEqualTo(1)).body("deletionsPending", greaterThanOrEqualTo(1));
        assertEquals(1, tombstones(heads(f)));
    }

    @Test
    void aRecordedDeletionThatNeverHappenedTouchesNothing() {
        Fixture f = segmentWithUsers("u1");
        Project project = projects.find(f.project()).orElseThrow();
        // As if the service died between recording the deletion and taking the environment out of its project.
        deletions.add(List.of(DeletedEnvironment.of(project, project.environment(f.environment()).orElseThrow(), false,
                System.currentTimeMillis(), new Actor("t-crashed", "crashed"))));
        cleanup.run();
        assertTrue(deletions.find(project.environment(f.environment()).orElseThrow().id()).isEmpty(), "the record is dropped");
        admin().get(f.segmentPath()).then().statusCode(200).body("included", equalTo(List.of("u1")));
        assertEquals(0, tombstones(heads(f)));
    }

    @Test
    void aRunThatDiedHalfWayIsFinishedByTheNextWithOneDeletionEach() {
        Fixture f = segmentWithUsers();
        createSegments(f, 5);
        String environmentId = projects.find(f.project()).orElseThrow().environment(f.environment()).orElseThrow().id();
        admin().delete("/api/v2/projects/" + f.project() + "/environments/" + f.environment()).then().statusCode(204);
        // A run that tombstoned two segments and died before it recorded its progress.
        for (String segment : List.of("s1", "s3")) {
            assertTrue(leftovers.delete(new SegmentKey(f.project(), f.environment(), segment), environmentId,
                    version -> Change.deletionWith("environment", version, System.currentTimeMillis(), new Actor("t-died", "died"))));
        }
        for (int run = 0; run < 5 && tombstones(heads(f)) < 6; run++) {
            cleanup.run();
        }
        assertEquals(6, tombstones(heads(f)));
        for (String segment : List.of(f.segment(), "s0", "s1", "s2", "s3", "s4")) {
            assertEquals(1, deletionEntries(f, segment), segment);
        }
    }

    @Test
    void aRunKeepsItsSweepInvocationsDeadlineAndTheNextFinishes() {
        Fixture f = segmentWithUsers();
        createSegments(f, 3);
        admin().delete("/api/v2/projects/" + f.project() + "/environments/" + f.environment()).then().statusCode(204);
        // The sweep took most of the invocation's time: less is left than one segment's write needs.
        LeftoverCleanup.Result late = Deadline.after(Deadline.SEGMENT_WRITE.minusMillis(500)).bind(cleanup::run);
        assertEquals(0, late.deleted());
        assertTrue(late.pending() >= 1, "the deletion stays pending");
        assertEquals(0, tombstones(heads(f)));
        for (int run = 0; run < 5 && tombstones(heads(f)) < 4; run++) {
            cleanup.run();
        }
        assertEquals(4, tombstones(heads(f)));
    }

    @Test
    void aSegmentCreatedBeforeTheCleanupReplacesItsPredecessorWhoseDeletionIsLogged() {
        Fixture f = segmentWithUsers("u1");
        var janitor = admin().contentType(ContentType.JSON).body(Map.of("name", "env-janitor", "role", "writer"))
                .post("/api/v2/tokens").then().statusCode(201).extract();
        String deleter = janitor.path("token");
        Api.as(deleter).delete("/api/v2/projects/" + f.project() + "/environments/" + f.environment()).then().statusCode(204);
        admin().contentType(ContentType.JSON).body(Map.of("key", f.environment(), "name", "Again", "color", "000000"))
                .post("/api/v2/projects/" + f.project() + "/environments").then().statusCode(201);
        admin().contentType(ContentType.JSON).body(Map.of("key", f.segment(), "name", "New"))
                .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(201)
                .body("included", equalTo(List.of())).body("version", equalTo(1));

        String spec = "proj/" + f.project() + ":env/" + f.environment() + ":segment/" + f.segment();
        List<Map<String, Object>> log = admin().queryParam("spec", spec).get("/api/v2/auditlog").then().statusCode(200)
                .extract().jsonPath().getList("items");
        assertEquals(List.of("created the segment", "deleted the segment", "updated the segment", "created the segment"),
                log.stream().map(e -> e.get("titleVerb")).toList());
        assertEquals(Map.of("_id", janitor.path("_id"), "name", "env-janitor"), log.get(1).get("token"));
        runAfterTheGrace();
        admin().get(f.segmentPath()).then().statusCode(200).body("name", equalTo("New"));
    }

    @Test
    void aDeletedProjectsEnvironmentsAreAllCleaned() {
        Fixture f = segmentWithUsers("u1");
        admin().contentType(ContentType.JSON).body(Map.of("key", "staging", "name", "Staging", "color", "000000"))
                .post("/api/v2/projects/" + f.project() + "/environments").then().statusCode(201);
        Fixture staging = new Fixture(f.project(), "staging", "twin");
        admin().contentType(ContentType.JSON).body(Map.of("key", "twin", "name", "Twin"))
                .post("/api/v2/segments/" + f.project() + "/staging").then().statusCode(201);
        admin().delete("/api/v2/projects/" + f.project()).then().statusCode(204);
        runAfterTheGrace();
        assertEquals(1, tombstones(heads(f)));
        assertEquals(1, tombstones(heads(staging)));
        assertTrue(deletions.pending().stream().noneMatch(d -> d.projectKey().equals(f.project())));
    }
}
