package dev.segments.segment.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.SegmentKey;
import java.io.IOException;

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

    void identify(JsonGenerator item, ExpiringTarget schedule) throws IOException {
        if (this == USERS) {
            item.writeStringField("userKey", schedule.target().key());
        } else {
            item.writeStringField("contextKey", schedule.target().key());
            item.writeStringField("contextKind", schedule.target().contextKind());
        }
    }
}
