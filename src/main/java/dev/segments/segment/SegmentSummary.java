package dev.segments.segment;

import java.util.List;

/** What a list of segments sorts and filters by: a segment's details, without its targets. */
public record SegmentSummary(SegmentKey key, String name, String description, List<String> tags, long creationDate,
        long lastModifiedDate) {

    public SegmentSummary {
        tags = List.copyOf(tags);
    }
}
