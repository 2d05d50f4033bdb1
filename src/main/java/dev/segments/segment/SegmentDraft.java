package dev.segments.segment;

import static dev.segments.segment.SegmentLimits.count;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A working copy of a segment that instructions change. Every change records a readable
 * effect line; a draft with no effects changed nothing, and committing it keeps the version.
 * Instructions that would make it grow ask it for room first ({@code requireRoom...}): a
 * segment already past a bound may still shrink, never grow.
 *
 * <p>The base's targets are copied only when the draft first changes them, and its schedules
 * then layered over (see {@link ScheduleMap}); the new segment takes the draft's own over, so a
 * change that touches only schedules never copies the targets, and nothing is copied twice. What the bounds and the due check count over
 * every target ({@link TargetTally}, {@link ScheduleMap#bytes}, {@link EarliestDate}) is taken
 * from the base where it was counted and kept up to date change by change.
 */
public final class SegmentDraft {

    private final Segment base;
    private String name;
    private String description;
    private final List<String> tags;
    /** The base's targets until the first change to them, then the draft's own copy. */
    private Set<TargetRef> targets;
    private HashSet<TargetRef> ownTargets;
    private TargetTally targetTally;
    /** The base's schedules until the first change to them, then the draft's own, layered over them. */
    private Map<TargetRef, ExpiringTarget> schedules;
    private ScheduleMap.Edits ownSchedules;
    private long scheduleBytes = ScheduleMap.UNCOUNTED;
    private EarliestDate earliest;
    /** Every target whose membership or schedule a change may have changed. */
    private final Set<TargetRef> touched = new HashSet<>();
    private final List<String> effects = new ArrayList<>();
    /** Set once the draft has handed its collections to a segment, which nothing may change after. */
    private boolean handedOver;

    SegmentDraft(Segment base) {
        this.base = base;
        this.name = base.name();
        this.description = base.description();
        this.tags = new ArrayList<>(base.tags());
        this.targets = base.targets();
        this.schedules = base.schedules();
    }

    /** The segment's version before this draft's changes. */
    public long baseVersion() {
        return base.version();
    }

    public boolean contains(TargetRef ref) {
        return targets.contains(ref);
    }

    public Optional<ExpiringTarget> schedule(TargetRef ref) {
        return Optional.ofNullable(schedules.get(ref));
    }

    /** Refuses targets that would take the segment past {@link SegmentLimits#MAX_TARGETS} or past its answer bytes. */
    void requireRoomFor(Collection<TargetRef> adding) throws InstructionRejected {
        List<TargetRef> fresh = adding.stream().filter(ref -> !targets.contains(ref)).distinct().toList();
        if (fresh.isEmpty()) {
            return;
        }
        long total = (long) targets.size() + fresh.size();
        if (total > SegmentLimits.MAX_TARGETS) {
            throw new InstructionRejected("Adding " + count(fresh.size()) + " new targets would give the segment " + count(total)
                    + " targets; a segment holds at most " + count(SegmentLimits.MAX_TARGETS) + ". Remove targets first.");
        }
        long bytes = targetTally().bytesWith(fresh);
        if (bytes > SegmentLimits.MAX_ANSWER_BYTES) {
            throw new InstructionRejected("Adding " + count(fresh.size()) + " new targets would make the segment's keys take "
                    + count(bytes) + " bytes of its answer; the limit is " + count(SegmentLimits.MAX_ANSWER_BYTES)
                    + " bytes, so that it fits in one Lambda response. Remove targets first, or use shorter keys.");
        }
    }

    /** Refuses a schedule that would take the expiring-targets answer past its bytes. */
    void requireRoomFor(ExpiringTarget schedule) throws InstructionRejected {
        long bytes = Footprint.scheduled(base.key(), schedules.size() + 1, scheduleBytes() + ScheduleMap.bytesOf(schedule));
        if (bytes > SegmentLimits.MAX_ANSWER_BYTES) {
            throw new InstructionRejected("Scheduling the removal of " + schedule.target().describe()
                    + " would make the segment's scheduled removals take " + count(bytes) + " bytes of one answer; the limit is "
                    + count(SegmentLimits.MAX_ANSWER_BYTES) + " bytes, so that it fits in one Lambda response."
                    + " Cancel other scheduled removals first.");
        }
    }

    /** Refuses tags that would give the segment more than {@link SegmentLimits#MAX_TAGS} or an invalid one. */
    void requireRoomForTags(Collection<String> adding) throws InstructionRejected {
        List<String> all = new ArrayList<>(tags);
        all.addAll(adding);
        Optional<String> problem = SegmentLimits.tagsProblem(all);
        if (problem.isPresent()) {
            throw new InstructionRejected("Cannot add these tags: " + problem.get() + ".");
        }
    }

    /** The tally of the targets as they stand, counted now if neither the base nor this draft has yet. */
    private TargetTally targetTally() {
        if (targetTally == null) {
            targetTally = ownTargets == null ? base.targetSet().tally().copy() : TargetTally.of(ownTargets);
        }
        return targetTally;
    }

    private long scheduleBytes() {
        if (scheduleBytes == ScheduleMap.UNCOUNTED) {
            scheduleBytes = ownSchedules == null ? base.scheduleMap().bytes() : ScheduleMap.bytesOf(ownSchedules.values());
        }
        return scheduleBytes;
    }

    /** The draft's own targets, copied from the base's on first use, with the base's tally if it was counted. */
    private HashSet<TargetRef> ownTargets() {
        requireOpen();
        if (ownTargets == null) {
            ownTargets = base.targetSet().copy();
            targets = ownTargets;
            if (targetTally == null) {
                targetTally = base.targetSet().tallyIfCounted();
            }
        }
        return ownTargets;
    }

    /** The draft's own schedules, layered over the base's on first use, with what the base counted of them. */
    private ScheduleMap.Edits ownSchedules() {
        requireOpen();
        if (ownSchedules == null) {
            ownSchedules = base.scheduleMap().edit();
            schedules = ownSchedules;
            if (scheduleBytes == ScheduleMap.UNCOUNTED) {
                scheduleBytes = base.scheduleMap().bytesIfCounted();
            }
            earliest = base.scheduleMap().earliestCopy();
        }
        return ownSchedules;
    }

    private void requireOpen() {
        if (handedOver) {
            throw new IllegalStateException("The draft became a segment already; it cannot change any more");
        }
    }

    void addTarget(TargetRef ref) {
        if (!targets.contains(ref)) {
            ownTargets().add(ref);
            touched.add(ref);
            effects.add("Added " + ref.describe() + " to " + ref.type().wire());
            if (targetTally != null) {
                targetTally.add(ref);
            }
        }
    }

    /** Removes a target and, since it would dangle, its scheduled removal. */
    void removeTarget(TargetRef ref) {
        if (targets.contains(ref)) {
            dropTarget(ref);
            effects.add("Removed " + ref.describe() + " from " + ref.type().wire());
            if (dropSchedule(ref) != null) {
                effects.add("Deleted the scheduled removal of " + ref.describe() + " with it");
            }
        }
    }

    void expire(ExpiringTarget schedule) {
        TargetRef ref = schedule.target();
        if (targets.contains(ref)) {
            dropTarget(ref);
        }
        dropSchedule(ref);
        effects.add("Removed " + ref.describe() + " from " + ref.type().wire() + " as scheduled for "
                + date(schedule.expirationDate()));
    }

    private void dropTarget(TargetRef ref) {
        ownTargets().remove(ref);
        touched.add(ref);
        if (targetTally != null) {
            targetTally.remove(ref);
        }
    }

    void putSchedule(ExpiringTarget schedule, String effect) {
        ExpiringTarget replaced = ownSchedules().put(schedule.target(), schedule);
        touched.add(schedule.target());
        if (replaced != null) {
            uncount(replaced);
        }
        if (scheduleBytes != ScheduleMap.UNCOUNTED) {
            scheduleBytes += ScheduleMap.bytesOf(schedule);
        }
        earliest.add(schedule);
        effects.add(effect);
    }

    void removeSchedule(TargetRef ref) {
        if (dropSchedule(ref) != null) {
            effects.add("Cancelled the scheduled removal of " + ref.describe() + " from " + ref.type().wire());
        }
    }

    private ExpiringTarget dropSchedule(TargetRef ref) {
        if (!schedules.containsKey(ref)) {
            return null;
        }
        ExpiringTarget dropped = ownSchedules().remove(ref);
        touched.add(ref);
        uncount(dropped);
        return dropped;
    }

    private void uncount(ExpiringTarget schedule) {
        if (scheduleBytes != ScheduleMap.UNCOUNTED) {
            scheduleBytes -= ScheduleMap.bytesOf(schedule);
        }
        earliest.remove(schedule);
    }

    void rename(String newName) {
        if (!newName.equals(name)) {
            effects.add("Renamed the segment to \"" + newName + "\"");
            name = newName;
        }
    }

    /** A null description removes it. */
    void describe(String newDescription) {
        if (!Objects.equals(newDescription, description)) {
            effects.add(newDescription == null ? "Removed the description" : "Changed the description");
            description = newDescription;
        }
    }

    void addTag(String tag) {
        if (!tags.contains(tag)) {
            tags.add(tag);
            effects.add("Added tag \"" + tag + "\"");
        }
    }

    void removeTag(String tag) {
        if (tags.remove(tag)) {
            effects.add("Removed tag \"" + tag + "\"");
        }
    }

    String name() {
        return name;
    }

    Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** The tags in their order, as the API shows them. */
    List<String> tags() {
        return List.copyOf(tags);
    }

    /** The tags become {@code newTags}, in that order, without repeats. */
    void assignTags(List<String> newTags) {
        List<String> next = List.copyOf(new LinkedHashSet<>(newTags));
        List<String> removed = new ArrayList<>(tags);
        removed.removeAll(next);
        removed.forEach(this::removeTag);
        next.forEach(this::addTag);
        if (!tags.equals(next)) {
            tags.clear();
            tags.addAll(next);
            effects.add("Reordered the tags");
        }
    }

    /** User keys of one list, sorted, as the API shows them. */
    List<String> userKeys(TargetType type) {
        List<String> keys = new ArrayList<>();
        for (TargetRef ref : targets) {
            if (ref.type() == type && ref.isUser()) {
                keys.add(ref.key());
            }
        }
        keys.sort(null);
        return keys;
    }

    /**
     * The users of one list become {@code keys}: the others are removed, with their scheduled
     * removals, and the new ones added. Whether a key also sits in the other list is checked
     * by {@link #targetInBothLists}, once all changes are made.
     */
    void assignUsers(TargetType type, List<String> keys) {
        Set<String> next = new HashSet<>(keys);
        for (String key : userKeys(type)) {
            if (!next.remove(key)) {
                removeTarget(new TargetRef(type, TargetRef.USER, key));
            }
        }
        keys.stream().filter(next::contains).distinct().forEach(key -> addTarget(new TargetRef(type, TargetRef.USER, key)));
    }

    /**
     * A target that is both included and excluded, which no segment may have, if the changes made
     * one. The base has none, so only a key the changes touched can be in both lists.
     */
    Optional<TargetRef> targetInBothLists() {
        return touched.stream()
                .map(ref -> new TargetRef(TargetType.INCLUDED, ref.contextKind(), ref.key()))
                .filter(ref -> targets.contains(ref) && targets.contains(new TargetRef(TargetType.EXCLUDED, ref.contextKind(), ref.key())))
                .min(TargetRef.ORDER);
    }

    List<String> effects() {
        return List.copyOf(effects);
    }

    /** The targets whose membership or schedule this draft may have changed; every other one is as in its base. */
    Set<TargetRef> touched() {
        return touched;
    }

    /**
     * The draft as a segment: the next version if anything changed, else the base itself. The
     * segment takes over the draft's own collections, so the draft changes nothing after.
     */
    Segment toSegment(long now) {
        if (effects.isEmpty()) {
            return base;
        }
        handedOver = true;
        return new Segment(base.key(), name, description, List.copyOf(tags), base.creationDate(), now, base.version() + 1,
                ownTargets == null ? targets : new TargetSet(ownTargets, targetTally),
                ownSchedules == null ? schedules : ownSchedules.done(scheduleBytes, earliest));
    }

    static String date(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis) + " (" + epochMillis + ")";
    }
}
