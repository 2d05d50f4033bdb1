package dev.segments.web;

import java.util.List;

/** Bounds on the tags of segments, projects and environments. */
public final class Tags {

    public static final int MAX_TAGS = 50;
    public static final int MAX_TAG = 64;

    private Tags() {
    }

    public static List<String> check(List<String> tags, String where) {
        if (tags.size() > MAX_TAGS || tags.stream().anyMatch(t -> t.isEmpty() || t.length() > MAX_TAG)) {
            throw ApiError.invalid(where + ": give at most " + MAX_TAGS + " tags of 1 to " + MAX_TAG + " characters each.");
        }
        return tags;
    }
}
