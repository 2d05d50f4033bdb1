package dev.segments.segment;

import java.util.function.Supplier;

/** Who asks for a change, when, why, and where new schedule ids come from. */
public record Edit(long now, Actor actor, String comment, Supplier<String> ids) {
}
