package dev.segments.segment;

/** Where a segment lives: a segment key is unique within one project's environment. */
public record SegmentKey(String projectKey, String environmentKey, String key) {
}
