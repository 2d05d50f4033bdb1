package dev.segments.segment.store;

import static dev.segments.testing.Api.segmentWithUsers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.segments.segment.Actor;
import dev.segments.segment.Edit;
import dev.segments.segment.SegmentInstruction;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentPatches;
import dev.segments.segment.TargetType;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Contract;
import dev.segments.testing.Dynalite;
import dev.segments.web.ErrorMappers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A writer that loses every race gives up with a conflict and changes nothing. */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class WriteConflictTest {

    @Inject
    SegmentStore store;

    @Test
    void losingEveryRaceEndsInAConflictAndOnlyTheRivalsChangesLand() {
        Fixture f = segmentWithUsers();
        SegmentKey key = new SegmentKey(f.project(), f.environment(), f.segment());
        long start = store.find(key).orElseThrow().version();
        AtomicInteger rivals = new AtomicInteger();
        WriteConflict conflict = assertThrows(WriteConflict.class, () -> store.update(key, stored -> {
            // While this writer computes its change, a rival commits one of its own.
            int rival = rivals.incrementAndGet();
            store.update(key, s -> SegmentPatches.segment(s, List.of(add("rival-" + rival)), edit()), Function.identity());
            return SegmentPatches.segment(stored, List.of(add("loser")), edit());
        }, Function.identity()));
        assertEquals(SegmentStore.MAX_ATTEMPTS, rivals.get());
        var after = store.find(key).orElseThrow();
        assertEquals(start + SegmentStore.MAX_ATTEMPTS, after.version());
        assertEquals(SegmentStore.MAX_ATTEMPTS, after.targets().size(), "only the rivals' users, not the loser's");

        Response response = new ErrorMappers().conflict(conflict);
        assertEquals(409, response.getStatus());
        String body = response.getEntity().toString();
        Contract.assertValid("PATCH", f.expiringPath(), 409, body);
        Contract.assertValid("PATCH", f.segmentPath(), 409, body);
    }

    static SegmentInstruction add(String user) {
        return new SegmentInstruction.AddTargets(TargetType.INCLUDED, "user", List.of(user));
    }

    static Edit edit() {
        return new Edit(System.currentTimeMillis(), new Actor("test", "test"), null, () -> "id");
    }

}
