package dev.segments.segment.api;

import dev.segments.web.ApiError;
import dev.segments.web.Tags;
import java.util.List;

/** Bounds on a segment's free-text details, which keep its head item well inside DynamoDB's item size. */
final class SegmentDetails {

    static final int MAX_NAME = 256;
    static final int MAX_DESCRIPTION = 4096;

    private SegmentDetails() {
    }

    static String name(String name, String where) {
        if (name.isBlank() || name.length() > MAX_NAME) {
            throw ApiError.invalid(where + ": the name must be 1 to " + MAX_NAME + " characters long.");
        }
        return name;
    }

    static String description(String description, String where) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw ApiError.invalid(where + ": the description is longer than " + MAX_DESCRIPTION + " characters.");
        }
        return description;
    }

    static List<String> tags(List<String> tags, String where) {
        return Tags.check(tags, where);
    }
}
