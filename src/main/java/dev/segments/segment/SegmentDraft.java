package dev.segments.segment;

import static dev.segments.segment.SegmentLimits.count;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
 */
public final class SegmentDraft {

    private final Segment base;
    private String name;
    private String description;
    private final List<String> tags;
    private final Set<TargetRef> targets;
    private final Map<TargetRef, ExpiringTarget> schedules;
    private final List<String> effects = new ArrayList<>();
    /** Measured when an instruction first asks for room, then kept up to date. */
    private Footprint footprint;

    SegmentDraft(Segment base) {
        this.base = base;
        this.name = base.name();
        this.description = base.description();
        this.tags = new ArrayList<>(base.tags());
        this.targets = new HashSet<>(base.targets());
        this.schedules = new HashMap<>(base.schedules());
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
        long bytes = footprint().listedWith(fresh);
        if (bytes > SegmentLimits.MAX_ANSWER_BYTES) {
            throw new InstructionRejected("Adding " + count(fresh.size()) + " new targets would make the segment's keys take "
                    + count(bytes) + " bytes of its answer; the limit is " + count(SegmentLimits.MAX_ANSWER_BYTES)
                    + " bytes, so that it fits in one Lambda response. Remove targets first, or use shorter keys.");
        }
    }

    /** Refuses a schedule that would take the expiring-targets answer past its bytes. */
    void requireRoomFor(ExpiringTarget schedule) throws InstructionRejected {
        long bytes = footprint().scheduledWith(schedule);
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

    private Footprint footprint() {
        if (footprint == null) {
            footprint = Footprint.of(base.key(), targets, schedules.values());
        }
        return footprint;
    }

    void addTarget(TargetRef ref) {
        if (targets.add(ref)) {
            effects.add("Added " + ref.describe() + " to " + ref.type().wire());
            if (footprint != null) {
                footprint.add(ref);
            }
        }
    }

    /** Removes a target and, since it would dangle, its scheduled removal. */
    void removeTarget(TargetRef ref) {
        if (targets.remove(ref)) {
            effects.add("Removed " + ref.describe() + " from " + ref.type().wire());
            if (footprint != null) {
                footprint.remove(ref);
            }
            if (dropSchedule(ref) != null) {
                effects.add("Deleted the scheduled removal of " + ref.describe() + " with it");
            }
        }
    }

    void expire(ExpiringTarget schedule) {
        TargetRef ref = schedule.target();
        if (targets.remove(ref) && footprint != null) {
            footprint.remove(ref);
        }
        dropSchedule(ref);
        effects.add("Removed " + ref.describe() + " from " + ref.type().wire() + " as scheduled for "
                + date(schedule.expirationDate()));
    }

    void putSchedule(ExpiringTarget schedule, String effect) {
        ExpiringTarget replaced = schedules.put(schedule.target(), schedule);
        if (footprint != null) {
            if (replaced != null) {
                footprint.remove(replaced);
            }
            footprint.add(schedule);
        }
        effects.add(effect);
    }

    void removeSchedule(TargetRef ref) {
        if (dropSchedule(ref) != null) {
            effects.add("Cancelled the scheduled removal of " + ref.describe() + " from " + ref.type().wire());
        }
    }

    private ExpiringTarget dropSchedule(TargetRef ref) {
        ExpiringTarget dropped = schedules.remove(ref);
        if (dropped != null && footprint != null) {
            footprint.remove(dropped);
        }
        return dropped;
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

    /** A target that is both included and excluded, which no segment may have, if the changes made one. */
    Optional<TargetRef> targetInBothLists() {
        return targets.stream()
                .filter(ref -> ref.type() == TargetType.INCLUDED
                        && targets.contains(new TargetRef(TargetType.EXCLUDED, ref.contextKind(), ref.key())))
                .min(TargetRef.ORDER);
    }

    List<String> effects() {
        return List.copyOf(effects);
    }

    /** The draft as a segment: the next version if anything changed, else the base itself. */
    Segment toSegment(long now) {
        if (effects.isEmpty()) {
            return base;
        }
        return new Segment(base.key(), name, description, List.copyOf(tags), base.creationDate(), now,
                base.version() + 1, targets, schedules);
    }

    static String date(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis) + " (" + epochMillis + ")";
    }
}
