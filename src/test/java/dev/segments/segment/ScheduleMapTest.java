package dev.segments.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Schedule maps layered over a shared root read as the maps they stand for, across chains of
 * drafts, folds and drafts of older versions; and a one-schedule change of 15,000 schedules
 * does not copy them.
 */
class ScheduleMapTest {

    private static final long DATE = 1_800_000_000_000L;

    @Test
    void layeredMapsAreTheMapsTheyStandFor() {
        Random random = new Random(17);
        List<ScheduleMap> versions = new ArrayList<>();
        List<Map<TargetRef, ExpiringTarget>> models = new ArrayList<>();
        Map<TargetRef, ExpiringTarget> first = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            first.put(user(i), schedule(user(i), random));
        }
        versions.add(ScheduleMap.of(first));
        models.add(first);
        for (int step = 0; step < 3000; step++) {
            // Mostly the latest version, sometimes an older one, as a write that lost its race drafts from.
            int from = random.nextInt(8) == 0 ? random.nextInt(versions.size()) : versions.size() - 1;
            ScheduleMap.Edits edits = versions.get(from).edit();
            Map<TargetRef, ExpiringTarget> model = new HashMap<>(models.get(from));
            for (int op = random.nextInt(random.nextInt(20) == 0 ? 200 : 5); op >= 0; op--) {
                TargetRef target = user(random.nextInt(400));
                if (random.nextBoolean()) {
                    ExpiringTarget schedule = schedule(target, random);
                    assertEquals(model.put(target, schedule), edits.put(target, schedule), "put, step " + step);
                } else {
                    assertEquals(model.remove(target), edits.remove(target), "remove, step " + step);
                }
                assertEquals(model.size(), edits.size());
            }
            assertSame(model, edits, "draft, step " + step);
            ScheduleMap done = edits.done(ScheduleMap.UNCOUNTED, null);
            assertSame(model, done, "segment, step " + step);
            versions.add(done);
            models.add(model);
        }
        for (int i = 0; i < versions.size(); i++) {
            assertSame(models.get(i), versions.get(i), "version " + i + ", after the others");
        }
    }

    @Test
    void aScheduleChangedAmongFifteenThousandCopiesNoneOfTheOthers() {
        Random random = new Random(18);
        Map<TargetRef, ExpiringTarget> schedules = new HashMap<>();
        for (int i = 0; i < 15_000; i++) {
            schedules.put(user(i), schedule(user(i), random));
        }
        ScheduleMap segment = ScheduleMap.of(schedules);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 200; i++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            ScheduleMap.Edits edits = segment.edit();
            edits.put(user(i), schedule(user(i), random));
            segment = edits.done(ScheduleMap.UNCOUNTED, null);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // Copying the 15,000 would take about 600 KB (their nodes and table); a fold, once per
            // 937 changes here, is allowed for.
            assertTrue(allocated < 64 * 1024, "change " + i + " allocated " + allocated + " bytes");
        }
        assertEquals(15_000, segment.size());
    }

    private static void assertSame(Map<TargetRef, ExpiringTarget> model, Map<TargetRef, ExpiringTarget> map, String what) {
        assertEquals(model.size(), map.size(), what + ": size");
        for (int i = 0; i < 400; i++) {
            assertEquals(model.get(user(i)), map.get(user(i)), what + ": " + user(i));
            assertEquals(model.containsKey(user(i)), map.containsKey(user(i)), what + ": " + user(i));
        }
        Set<TargetRef> seen = new HashSet<>();
        int count = 0;
        for (Map.Entry<TargetRef, ExpiringTarget> entry : map.entrySet()) {
            assertEquals(model.get(entry.getKey()), entry.getValue(), what + ": entry " + entry.getKey());
            seen.add(entry.getKey());
            count++;
        }
        assertEquals(model.size(), count, what + ": entries");
        assertEquals(model.keySet(), seen, what + ": keys");
        assertEquals(model, map, what);
    }

    private static TargetRef user(int i) {
        return new TargetRef(TargetType.INCLUDED, "user", "user-" + i);
    }

    private static ExpiringTarget schedule(TargetRef target, Random random) {
        return new ExpiringTarget(Long.toHexString(random.nextLong()), 1 + random.nextInt(3), DATE + random.nextInt(1000), target);
    }
}
