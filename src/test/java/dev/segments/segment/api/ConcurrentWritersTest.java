package dev.segments.segment.api;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.patchExpiring;
import static dev.segments.testing.Api.segmentWithUsers;
import static dev.segments.testing.Api.version;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Concurrent writers on one segment never lose each other's changes. */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class ConcurrentWritersTest {

    @Test
    void everyAcceptedScheduleSurvivesAndVersionCountsEveryChange() throws Exception {
        int writers = 6;
        int perWriter = 8;
        List<String> users = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < perWriter; i++) {
                users.add("w" + w + "-u" + i);
            }
        }
        Fixture f = segmentWithUsers(users.toArray(String[]::new));
        long start = version(f);
        long future = System.currentTimeMillis() + 86_400_000L;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Integer>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            results.add(pool.submit(() -> {
                int applied = 0;
                for (int i = 0; i < perWriter; i++) {
                    int status = patchExpiring(f, add("w" + writer + "-u" + i, future + i)).statusCode();
                    if (status == 200) {
                        applied++;
                    }
                }
                return applied;
            }));
        }
        int applied = 0;
        for (Future<Integer> result : results) {
            applied += result.get();
        }
        pool.shutdown();
        assertEquals(writers * perWriter, applied, "every request should eventually apply (no 409 at this contention)");
        Set<String> scheduled = new HashSet<>(admin().get(f.expiringPath()).then().statusCode(200).extract().path("items.userKey"));
        assertEquals(new HashSet<>(users), scheduled);
        assertEquals(start + applied, version(f));
    }
}
