package dev.segments.segment.store;

import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.TargetRef;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One bucket of a segment's targets as decoded (see {@link SegmentCodec}): the targets, their
 * schedules, and how many UTF-8 bytes the bucket encodes to. A chunk's bucket never changes,
 * so it is kept decoded ({@link ChunkCache}) and compared as it is, never encoded again.
 */
record Bucket(Set<TargetRef> targets, Map<TargetRef, ExpiringTarget> schedules, long bytes) {

    Bucket {
        targets = Set.copyOf(targets);
        schedules = Map.copyOf(schedules);
    }

    /** Whether this bucket holds exactly {@code group}, with the schedules {@code schedules} gives them. */
    boolean holds(Collection<TargetRef> group, Map<TargetRef, ExpiringTarget> scheduled) {
        if (group.size() != targets.size()) {
            return false;
        }
        for (TargetRef ref : group) {
            if (!targets.contains(ref) || !Objects.equals(schedules.get(ref), scheduled.get(ref))) {
                return false;
            }
        }
        return true;
    }
}
