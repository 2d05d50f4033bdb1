package dev.segments.segment;

/**
 * The answer bytes a segment's targets take (see {@link AnswerSize}): in its segment answer,
 * every target's key in its list, and per context kind and list a group ({@code listed}); in
 * its expiring-targets answer, an item per schedule, which repeats the project, environment
 * and segment keys ({@code scheduled}). Counted as the larger, context view writes the items
 * and with the widest numbers, so moving a date never changes it. The parts that depend on
 * every target are kept with the segment's targets and schedules ({@link TargetTally},
 * {@link ScheduleMap#bytes}) and carried through its changes, so a change never recounts them.
 */
public record Footprint(long listed, long scheduled) {

    /** An item of the expiring-targets answer without its strings, with room for the longest {@code _version} and date. */
    private static final long ITEM = AnswerSize.syntax("{\"_id\":\"\",\"_version\":,\"expirationDate\":,\"contextKey\":\"\","
            + "\"contextKind\":\"\",\"targetType\":\"excluded\",\"_resourceId\":{\"kind\":\"segment\",\"projectKey\":\"\","
            + "\"environmentKey\":\"\",\"key\":\"\"}},") + 10 + 19;
    /** A group of context keys of one kind in one list of the segment answer, without its kind and keys. */
    static final long GROUP = AnswerSize.syntax("{\"contextKind\":\"\",\"values\":[]},");
    /** A segment answer without its strings and targets, with room for the widest numbers. */
    private static final long SEGMENT = AnswerSize.syntax("{\"key\":\"\",\"name\":\"\",\"description\":\"\",\"tags\":[],"
            + "\"creationDate\":,\"lastModifiedDate\":,\"version\":,\"deleted\":false,\"generation\":1,\"rules\":[],"
            + "\"included\":[],\"excluded\":[],\"includedContexts\":[],\"excludedContexts\":[],\"unbounded\":false,"
            + "\"_links\":{\"self\":{\"href\":\"/api/v2/segments///\",\"type\":\"application/json\"}}},") + 3 * 20;

    public static Footprint of(Segment segment) {
        return new Footprint(segment.targetSet().tally().bytes(),
                scheduled(segment.key(), segment.schedules().size(), segment.scheduleMap().bytes()));
    }

    /** Bytes the whole segment answer takes, details and targets, as one item of a list (with its comma). */
    public static long segmentAnswer(Segment segment) {
        SegmentKey key = segment.key();
        long bytes = SEGMENT + 2 * AnswerSize.of(key.key()) + AnswerSize.of(key.projectKey()) + AnswerSize.of(key.environmentKey())
                + AnswerSize.of(segment.name()) + (segment.description() == null ? 0 : AnswerSize.of(segment.description()));
        for (String tag : segment.tags()) {
            bytes += AnswerSize.quoted(tag) + 1;
        }
        return bytes + of(segment).listed();
    }

    /** Bytes {@code count} schedules of segment {@code key} take whose own strings take {@code ownBytes} (see {@link ScheduleMap#bytes}). */
    static long scheduled(SegmentKey key, int count, long ownBytes) {
        long item = ITEM + AnswerSize.of(key.projectKey()) + AnswerSize.of(key.environmentKey()) + AnswerSize.of(key.key());
        return count * item + ownBytes;
    }
}
