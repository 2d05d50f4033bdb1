package dev.segments.segment.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.SegmentKey;

/**
 * The two APIs over a segment's scheduled removals. They share one engine and one set of
 * schedules: a user schedule is the schedule of a context of kind {@code user}, seen by both.
 */
enum ExpiringView {
    /** {@code expiring-user-targets}: user schedules only, items keyed by {@code userKey}. */
    USERS("expiring-user-targets"),
    /** {@code expiring-targets}: schedules of every context kind, keyed by {@code contextKey} and {@code contextKind}. */
    CONTEXTS("expiring-targets");

    private final String pathSegment;

    ExpiringView(String pathSegment) {
        this.pathSegment = pathSegment;
    }

    String path(SegmentKey key) {
        return "/api/v2/segments/" + key.projectKey() + "/" + key.key() + "/" + pathSegment + "/" + key.environmentKey();
    }

    boolean shows(ExpiringTarget schedule) {
        return this == CONTEXTS || schedule.target().isUser();
    }

    void identify(ObjectNode item, ExpiringTarget schedule) {
        if (this == USERS) {
            item.put("userKey", schedule.target().key());
        } else {
            item.put("contextKey", schedule.target().key());
            item.put("contextKind", schedule.target().contextKind());
        }
    }
}
