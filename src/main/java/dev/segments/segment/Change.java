package dev.segments.segment;

import java.util.List;

/**
 * One committed change to a segment, as its history keeps it: the version it produced, when,
 * who made it (a token name, or {@link #SERVICE} for expiries), the request's comment and a
 * readable line per effect.
 */
public record Change(long version, long at, String actor, String comment, List<String> effects) {

    public static final String SERVICE = "service";

    public Change {
        effects = List.copyOf(effects);
    }
}
