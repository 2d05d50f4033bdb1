package dev.segments.segment.api;

import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.SegmentKey;
import java.util.List;

/**
 * Turns schedules into the items of an expiring-targets answer. An interface so that tests can
 * count what is encoded: a warm answer encodes only the schedules that changed.
 */
interface ItemEncoder {

    /** The encoder answers use: {@link JsonItems}. */
    ItemEncoder JSON = new JsonItems();

    /** The items of {@code schedules} as the view shows them, in that order. */
    Encoded encode(SegmentKey segment, ExpiringView view, List<ExpiringTarget> schedules);

    /**
     * Items as JSON joined by commas, as they stand in the answer's array: item {@code i} ends
     * at {@code ends[i]} (exclusive) and the next one starts a byte (the comma) after.
     */
    record Encoded(byte[] bytes, int[] ends) {

        /** Where item {@code i} starts: a comma after the one before. */
        int start(int i) {
            return i == 0 ? 0 : ends[i - 1] + 1;
        }
    }
}
