package dev.segments.segment;

import java.util.ArrayList;
import java.util.List;

/**
 * One committed change to a segment, as its history keeps it: the version it produced, when,
 * who made it (a token, or {@link #SERVICE} for expiries), the request's comment and a
 * readable line per effect.
 */
public record Change(long version, long at, Actor actor, String comment, List<String> effects) {

    /** The expiry service: its id is no token's, whatever a token is named. */
    public static final Actor SERVICE = new Actor("expiry-service", "service");
    private static final String DELETED = "Deleted the segment with its targets and scheduled removals";
    /** Effect lines kept per change; a change touching thousands of targets is summarised. */
    public static final int MAX_EFFECTS = 50;
    /**
     * Answer bytes (see {@link AnswerSize}) of the effect lines kept per change. A line names a
     * target, whose key may take 3,584 bytes; this bounds a change in the segment's head item
     * (which holds the changes of its recent commits) and in the audit log's answers.
     */
    public static final long MAX_EFFECT_BYTES = 64 * 1024;
    /** Room kept for the summary line, so that a summarised list is kept as it is when read back. */
    private static final long SUMMARY_BYTES = 100;

    public Change {
        effects = List.copyOf(summarised(effects));
    }

    private static List<String> summarised(List<String> effects) {
        long total = effects.stream().mapToLong(AnswerSize::of).sum();
        if (effects.size() <= MAX_EFFECTS && total <= MAX_EFFECT_BYTES) {
            return effects;
        }
        List<String> kept = new ArrayList<>();
        long bytes = 0;
        for (String effect : effects) {
            bytes += AnswerSize.of(effect);
            if (kept.size() == MAX_EFFECTS - 1 || bytes > MAX_EFFECT_BYTES - SUMMARY_BYTES) {
                break;
            }
            kept.add(effect);
        }
        kept.add("… and " + (effects.size() - kept.size()) + " more changes of the same request");
        return kept;
    }

    /** The change that brings a segment into being: its first version. */
    public static Change creation(Segment segment, Actor actor) {
        return new Change(segment.version(), segment.creationDate(), actor, null,
                List.of("Created the segment \"" + segment.name() + "\""));
    }

    /** The change that deletes a segment at {@code version}, with its targets and schedules. */
    public static Change deletion(long version, long now, Actor actor) {
        return new Change(version + 1, now, actor, null, List.of(DELETED));
    }

    /**
     * The change that deletes a segment at {@code version} along with what holds it (its
     * environment or its project, as {@code container} names it), by whoever deleted that, when.
     */
    public static Change deletionWith(String container, long version, long at, Actor actor) {
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
