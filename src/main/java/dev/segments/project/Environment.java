package dev.segments.project;

/** An environment of a project. The SDK keys exist for compatibility; this service does not use them. */
public record Environment(String id, String key, String name, String color, String apiKey, String mobileKey,
        long creationDate) {
}
