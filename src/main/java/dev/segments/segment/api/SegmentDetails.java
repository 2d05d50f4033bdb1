package dev.segments.segment.api;

import dev.segments.segment.SegmentLimits;
import dev.segments.web.ApiError;
import java.util.List;
import java.util.Optional;

/** A new segment's details, checked against the core's {@link SegmentLimits} with the request's own words. */
final class SegmentDetails {

    private SegmentDetails() {
    }

    static String name(String name, String where) {
        return checked(name, SegmentLimits.nameProblem(name), where);
    }

    static String description(String description, String where) {
        return checked(description, SegmentLimits.descriptionProblem(description), where);
    }

    static List<String> tags(List<String> tags, String where) {
        return checked(tags, SegmentLimits.tagsProblem(tags), where);
    }

    private static <T> T checked(T value, Optional<String> problem, String where) {
        if (problem.isPresent()) {
            throw ApiError.invalid(where + ": " + problem.get() + ".");
        }
        return value;
    }
}
