package dev.segments.segment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A segment as stored: its details, its individual targets (user keys are targets of kind
 * {@code user}) and the scheduled removals of some of them. Immutable; changes go through a
 * {@link SegmentDraft} and come out as a new segment with {@code version} one higher.
 *
 * <p>Invariants: no target is both included and excluded; every schedule belongs to a target
 * that is in the segment.
 */
public record Segment(
        SegmentKey key,
        String name,
        String description,
        List<String> tags,
        long creationDate,
        long lastModifiedDate,
        long version,
        Set<TargetRef> targets,
        Map<TargetRef, ExpiringTarget> schedules) {

    public Segment {
        tags = List.copyOf(tags);
        // A draft's own collections are taken over as they are; any other is copied.
        targets = TargetSet.of(targets);
        schedules = ScheduleMap.of(schedules);
    }

    public static Segment create(SegmentKey key, String name, String description, List<String> tags, long now) {
        return new Segment(key, name, description, tags.stream().distinct().toList(), now, now, 1, Set.of(), Map.of());
    }

    public SegmentDraft edit() {
        return new SegmentDraft(this);
    }

    /** Keys of one kind in one list, sorted so that responses are stable. */
    public List<String> keys(TargetType type, String contextKind) {
        List<String> keys = new ArrayList<>();
        for (TargetRef ref : targets) {
            if (ref.type() == type && ref.contextKind().equals(contextKind)) {
                keys.add(ref.key());
            }
        }
        Collections.sort(keys);
        return keys;
    }

    /** Keys of every kind but {@code user} in one list, by kind, kinds and keys sorted. */
    public Map<String, List<String>> contextKeys(TargetType type) {
        Map<String, List<String>> byKind = new TreeMap<>();
        for (TargetRef ref : targets) {
            if (ref.type() == type && !ref.isUser()) {
                byKind.computeIfAbsent(ref.contextKind(), k -> new ArrayList<>()).add(ref.key());
            }
        }
        byKind.values().forEach(Collections::sort);
        return byKind;
    }

    /** All scheduled removals in response order. */
    public List<ExpiringTarget> expiringTargets() {
        List<ExpiringTarget> all = new ArrayList<>(schedules.values());
        all.sort(ExpiringTarget.ORDER);
        return all;
    }

    /** When the earliest scheduled removal is due, if any. */
    public Optional<Long> nextExpiry() {
        long earliest = scheduleMap().earliest();
        return earliest == Long.MAX_VALUE ? Optional.empty() : Optional.of(earliest);
    }

    /** Whether a scheduled removal is due at {@code now}. */
    boolean hasDue(long now) {
        return scheduleMap().earliest() <= now;
    }

    TargetSet targetSet() {
        return (TargetSet) targets;
    }

    ScheduleMap scheduleMap() {
        return (ScheduleMap) schedules;
    }
}
