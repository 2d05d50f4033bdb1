package dev.segments.segment.api;

import dev.segments.segment.SegmentSummary;
import dev.segments.web.ApiError;
import java.util.Comparator;

/**
 * getSegments' {@code sort}: comma-separated fields among {@code creationDate}, {@code name} and
 * {@code lastModified}, each descending with a leading {@code -}, e.g. {@code -name,creationDate}.
 * Segments equal in every field come in key order; without a sort, the list is in key order.
 */
final class SegmentSort {

    static final int MAX_LENGTH = 200;
    private static final Comparator<SegmentSummary> BY_KEY = Comparator.comparing(s -> s.key().key());

    private SegmentSort() {
    }

    static Comparator<SegmentSummary> parse(String sort) {
        if (sort == null || sort.isBlank()) {
            return BY_KEY;
        }
        if (sort.length() > MAX_LENGTH) {
            throw ApiError.invalid("sort is " + sort.length() + " characters long; the limit is " + MAX_LENGTH + ".");
        }
        Comparator<SegmentSummary> order = null;
        for (String field : sort.split(",", -1)) {
            String name = field.strip();
            boolean descending = name.startsWith("-");
            Comparator<SegmentSummary> by = switch (descending ? name.substring(1) : name) {
                case "creationDate" -> Comparator.comparingLong(SegmentSummary::creationDate);
                case "lastModified" -> Comparator.comparingLong(SegmentSummary::lastModifiedDate);
                case "name" -> Comparator.comparing(SegmentSummary::name, String.CASE_INSENSITIVE_ORDER)
                        .thenComparing(SegmentSummary::name);
                default -> throw ApiError.invalid("sort cannot order by \"" + field + "\": use creationDate, name or lastModified,"
                        + " with a leading - for descending, separated by commas (e.g. -name,creationDate).");
            };
            by = descending ? by.reversed() : by;
            order = order == null ? by : order.thenComparing(by);
        }
        return order.thenComparing(BY_KEY);
    }
}
