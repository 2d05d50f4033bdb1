package dev.segments.segment.store;

import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.hamcrest.Matchers.empty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.DynamoMeter.Usage;
import dev.segments.testing.StoreFaults;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What DynamoDB bills for the commonest request, a small PATCH on a warm instance, counted by
 * {@link dev.segments.testing.DynamoMeter} as DynamoDB counts it, its indexes included: DynamoDB
 * is nearly all of the cost of a PATCH, and its write units most of that.
 */
@QuarkusTest
@TestProfile(StoreFaults.Metered.class)
class WriteUnitsTest {

    /** Write request units a warm small PATCH may cost on average (6.4 before the batched copy-out, 9 with its first form). */
    static final double MAX_WRITE_UNITS = 4;
    /** A multiple of the commits a head holds, so that the copy-outs fall evenly into the mean. */
    static final int PATCHES = 4 * AuditEntries.COMMITS_PER_HEAD;

    @Test
    void aWarmSmallPatchCostsAtMostFourWriteUnits() {
        Fixture f = segmentWithUsers("u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9");
        long far = System.currentTimeMillis() + 86_400_000L;
        patch(f, 0, far);
        Usage before = StoreFaults.Metered.meter().usage();
        for (int i = 1; i <= PATCHES; i++) {
            patch(f, i, far);
        }
        Usage used = StoreFaults.Metered.meter().usage().minus(before);
        double writeUnits = used.writeUnits() / PATCHES;
        System.out.printf("DynamoDB per warm small PATCH (10-user segment, mean of %d): %.2f requests, %.2f RRU, %.2f WRU (%s in all)%n",
                PATCHES, (double) used.totalRequests() / PATCHES, used.readUnits() / PATCHES, writeUnits, used);
        assertTrue(writeUnits <= MAX_WRITE_UNITS, "a warm small PATCH cost " + writeUnits + " WRU on average; at most "
                + MAX_WRITE_UNITS + " expected");

        // What the audit log of these commits costs to read, and that it shows them all.
        for (String spec : List.of("proj/" + f.project() + ":env/" + f.environment() + ":segment/" + f.segment(), "proj/" + f.project())) {
            before = StoreFaults.Metered.meter().usage();
            int listed = admin().queryParam("spec", spec).queryParam("limit", 20).get("/api/v2/auditlog").then().statusCode(200)
                    .extract().jsonPath().getList("items").size();
            System.out.printf("DynamoDB per audit log page of %d (spec %s): %s%n", listed, spec,
                    StoreFaults.Metered.meter().usage().minus(before));
            assertEquals(20, listed);
        }
    }

    /** Adds a schedule to one user, or cancels it, in turns of ten, as PowerTuningBenchmark's small PATCH does. */
    private static void patch(Fixture f, int i, long far) {
        String user = "u" + (i % 10);
        Map<String, Object> instruction = (i / 10) % 2 == 0 ? Api.add(user, far) : Api.remove(user);
        admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("instructions", List.of(instruction)))
                .patch(f.expiringPath()).then().statusCode(200).body("errors", empty());
    }
}
