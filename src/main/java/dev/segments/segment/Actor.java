package dev.segments.segment;

/**
 * Who made a change: a token, by its id and its name, or the service itself. Names are for
 * people and need not be unique; ids tell actors apart.
 */
public record Actor(String id, String name) {
}
