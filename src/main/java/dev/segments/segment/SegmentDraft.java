package dev.segments.segment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A working copy of a segment that instructions change. Every change records a readable
 * effect line; a draft with no effects changed nothing, and committing it keeps the version.
 */
public final class SegmentDraft {

    private final Segment base;
    private String name;
    private String description;
    private final LinkedHashSet<String> tags;
    private final Set<TargetRef> targets;
    private final Map<TargetRef, ExpiringTarget> schedules;
    private final List<String> effects = new ArrayList<>();

    SegmentDraft(Segment base) {
        this.base = base;
        this.name = base.name();
        this.description = base.description();
        this.tags = new LinkedHashSet<>(base.tags());
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

    void addTarget(TargetRef ref) {
        if (targets.add(ref)) {
            effects.add("Added " + ref.describe() + " to " + ref.type().wire());
        }
    }

    /** Removes a target and, since it would dangle, its scheduled removal. */
    void removeTarget(TargetRef ref) {
        if (targets.remove(ref)) {
            effects.add("Removed " + ref.describe() + " from " + ref.type().wire());
            ExpiringTarget dropped = schedules.remove(ref);
            if (dropped != null) {
                effects.add("Deleted the scheduled removal of " + ref.describe() + " with it");
            }
        }
    }

    void expire(ExpiringTarget schedule) {
        TargetRef ref = schedule.target();
        targets.remove(ref);
        schedules.remove(ref);
        effects.add("Removed " + ref.describe() + " from " + ref.type().wire() + " as scheduled for "
                + date(schedule.expirationDate()));
    }

    void putSchedule(ExpiringTarget schedule, String effect) {
        schedules.put(schedule.target(), schedule);
        effects.add(effect);
    }

    void removeSchedule(TargetRef ref) {
        if (schedules.remove(ref) != null) {
            effects.add("Cancelled the scheduled removal of " + ref.describe() + " from " + ref.type().wire());
        }
    }

    void rename(String newName) {
        if (!newName.equals(name)) {
            effects.add("Renamed the segment to \"" + newName + "\"");
            name = newName;
        }
    }

    void describe(String newDescription) {
        if (!newDescription.equals(description)) {
            effects.add("Changed the description");
            description = newDescription;
        }
    }

    void addTag(String tag) {
        if (tags.add(tag)) {
            effects.add("Added tag \"" + tag + "\"");
        }
    }

    void removeTag(String tag) {
        if (tags.remove(tag)) {
            effects.add("Removed tag \"" + tag + "\"");
        }
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
