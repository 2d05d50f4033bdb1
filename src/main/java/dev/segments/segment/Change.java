package dev.segments.segment;

import java.util.ArrayList;
import java.util.List;

/**
 * One committed change to a segment, as its history keeps it: the version it produced, when,
 * who made it (a token name, or {@link #SERVICE} for expiries), the request's comment and a
 * readable line per effect.
 */
public record Change(long version, long at, String actor, String comment, List<String> effects) {

    public static final String SERVICE = "service";
    private static final String DELETED = "Deleted the segment with its targets and scheduled removals";
    /** Effect lines kept per change; a change touching thousands of targets is summarised. */
    public static final int MAX_EFFECTS = 50;

    public Change {
        if (effects.size() > MAX_EFFECTS) {
            List<String> kept = new ArrayList<>(effects.subList(0, MAX_EFFECTS - 1));
            kept.add("… and " + (effects.size() - kept.size()) + " more changes of the same request");
            effects = kept;
        }
        effects = List.copyOf(effects);
    }

    /** The change that brings a segment into being: its first version. */
    public static Change creation(Segment segment, String actor) {
        return new Change(segment.version(), segment.creationDate(), actor, null,
                List.of("Created the segment \"" + segment.name() + "\""));
    }

    /** The change that deletes a segment at {@code version}, with its targets and schedules. */
    public static Change deletion(long version, long now, String actor) {
        return new Change(version + 1, now, actor, null, List.of(DELETED));
    }

    /**
     * The change that deletes a segment at {@code version} along with what holds it (its
     * environment or its project, as {@code container} names it), by whoever deleted that, when.
     */
    public static Change deletionWith(String container, long version, long at, String actor) {
        return new Change(version + 1, at, actor, null, List.of(DELETED, "Deleted along with " + container));
    }

    /** Every segment incarnation starts with its creation as version 1. */
    public boolean isCreation() {
        return version == 1;
    }

    public boolean isDeletion() {
        return !effects.isEmpty() && effects.get(0).equals(DELETED);
    }
}
