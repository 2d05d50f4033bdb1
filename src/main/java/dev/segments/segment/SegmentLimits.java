package dev.segments.segment;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one segment may hold and one request may ask. The bounds keep every answer about a
 * segment inside one Lambda response (see {@link AnswerSize}) and its stored head inside one
 * DynamoDB item, and they are checked before anything changes.
 */
public final class SegmentLimits {

    /** Targets (included and excluded, of every context kind) per segment, as LaunchDarkly's standard segments. */
    public static final int MAX_TARGETS = 15_000;
    public static final int MAX_TARGET_KEY_BYTES = 512;
    public static final int MAX_INSTRUCTIONS = 250;
    public static final int MAX_NAME = 256;
    public static final int MAX_DESCRIPTION = 4096;
    /** Tags of one segment, all together. */
    public static final int MAX_TAGS = 50;
    public static final int MAX_TAG = 64;
    public static final int MAX_COMMENT = 4096;

    /**
     * The most answer bytes a failed instruction's message takes: it names the target, whose
     * key may be 512 bytes of control characters (3,584 bytes of answer).
     */
    public static final long MAX_MESSAGE_BYTES = 4_100;
    /** The most one failed instruction adds to an expiring-targets PATCH answer: its message in an entry of {@code errors}. */
    public static final long MAX_ERROR_BYTES = MAX_MESSAGE_BYTES + 100;
    /** What an answer takes besides its items: the rest of the response event and its headers, links and counts. */
    static final long ENVELOPE_BYTES = 16 * 1024;
    /**
     * The most answer bytes a segment's targets may take in its segment answer, and its
     * schedules in its expiring-targets answer: what is left of Lambda's limit once a PATCH
     * answer has carried a failure for each of its instructions. The segment's details add at
     * most about 55 KB, so both answers stay under {@link AnswerSize#LAMBDA_LIMIT}.
     */
    public static final long MAX_ANSWER_BYTES = AnswerSize.LAMBDA_LIMIT - ENVELOPE_BYTES - MAX_INSTRUCTIONS * MAX_ERROR_BYTES;

    private SegmentLimits() {
    }

    public static Optional<String> nameProblem(String name) {
        if (name.isBlank() || name.length() > MAX_NAME) {
            return Optional.of("the name must be 1 to " + MAX_NAME + " characters long, and not blank");
        }
        return Optional.empty();
    }

    public static Optional<String> descriptionProblem(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            return Optional.of("the description is " + description.length() + " characters long; the limit is " + MAX_DESCRIPTION);
        }
        return Optional.empty();
    }

    /** Tags as a segment would hold them, all together. */
    public static Optional<String> tagsProblem(List<String> tags) {
        if (tags.stream().distinct().count() > MAX_TAGS) {
            return Optional.of("a segment has at most " + MAX_TAGS + " tags");
        }
        if (tags.stream().anyMatch(t -> t.isEmpty() || t.length() > MAX_TAG)) {
            return Optional.of("tags are 1 to " + MAX_TAG + " characters long");
        }
        return Optional.empty();
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
