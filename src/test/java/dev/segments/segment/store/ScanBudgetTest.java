package dev.segments.segment.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.dynamo.Table;
import dev.segments.segment.Actor;
import dev.segments.segment.Change;
import dev.segments.segment.SegmentKey;
import dev.segments.testing.Api;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A filtered listing of the whole log stops after {@link AuditTrail#SCAN_BUDGET} index rows and
 * answers what it found with a cursor; entry items hold entries up to a minute above their place
 * in the index, so where it stops must leave no entry behind between its pages.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class ScanBudgetTest {

    static final int ITEMS = AuditTrail.SCAN_BUDGET + 500;

    @Test
    void aListingStoppedByItsScanBudgetGoesOnWithoutGapsOrRepeats() {
        // A table of its own, so that where the budget runs out is known.
        Table table = new Table(Dynalite.client(Dynalite.startServer()).build(), Dynalite.newTable("budget"), false);
        AuditTrail trail = new AuditTrail(table, 90);
        String project = Api.unique("budget");
        long now = System.currentTimeMillis();
        long t0 = now - 3_600_000L;
        List<AuditEntry> all = new ArrayList<>();
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            // Five segments, each item two entries 30 s apart, items a second apart: their entries interleave in time.
            SegmentKey segment = new SegmentKey(project, "production", "s" + (i % 5));
            long version = 2L * (i / 5) + 1;
            List<AuditEntry> item = List.of(entry(segment, version, t0 + 1000L * i), entry(segment, version + 1, t0 + 1000L * i + 30_000));
            all.addAll(item);
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(AuditEntry.batchItem(item, 86_400L)).build()).build());
        }
        for (int from = 0; from < writes.size(); from += 25) {
            List<WriteRequest> batch = writes.subList(from, Math.min(writes.size(), from + 25));
            table.client().batchWriteItem(b -> b.requestItems(java.util.Map.of(table.name(), batch)));
        }
        // Every entry matches, and a page may hold them all: only the budget ends a page.
        Predicate<AuditEntry> filter = entry -> true;
        int limit = 2 * all.size();
        List<String> expected = all.stream().filter(filter).map(AuditEntry::sortKey).sorted(Comparator.reverseOrder()).toList();

        List<String> listed = new ArrayList<>();
        String below = "~";
        int stopped = 0;
        for (int pages = 0; ; pages++) {
            assertTrue(pages < 50, "paging does not end");
            AuditTrail.Page page = trail.page(Optional.empty(), segment -> true, "", below, filter, limit, now);
            page.entries().forEach(entry -> listed.add(entry.sortKey()));
            if (page.resumeBelow().isEmpty()) {
                break;
            }
            assertTrue(page.resumeBelow().get().compareTo(below) < 0, "each page goes further");
            stopped++;
            below = page.resumeBelow().get();
        }
        assertTrue(stopped > 0, "the scan budget ended a page");
        assertEquals(expected, listed, "every matching entry once, newest first");
    }

    private static AuditEntry entry(SegmentKey segment, long version, long at) {
        return new AuditEntry(segment, "env.incarnation", new Change(version, at, new Actor("test", "test"), null, List.of("changed")),
                "commit-" + version);
    }
}
