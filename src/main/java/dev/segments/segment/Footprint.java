package dev.segments.segment;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The answer bytes a segment's targets take (see {@link AnswerSize}): in its segment answer,
 * every target's key in its list, and per context kind and list a group; in its
 * expiring-targets answer, an item per schedule, which repeats the project, environment and
 * segment keys. Counted as the larger, context view writes the items and with the widest
 * numbers, so moving a date never changes it. A draft keeps it up to date as it changes.
 */
public final class Footprint {

    /** An item of the expiring-targets answer without its strings, with room for the longest {@code _version} and date. */
    private static final long ITEM = AnswerSize.syntax("{\"_id\":\"\",\"_version\":,\"expirationDate\":,\"contextKey\":\"\","
            + "\"contextKind\":\"\",\"targetType\":\"excluded\",\"_resourceId\":{\"kind\":\"segment\",\"projectKey\":\"\","
            + "\"environmentKey\":\"\",\"key\":\"\"}},") + 10 + 19;
    /** A group of context keys of one kind in one list of the segment answer, without its kind and keys. */
    private static final long GROUP = AnswerSize.syntax("{\"contextKind\":\"\",\"values\":[]},");
    /** A segment answer without its strings and targets, with room for the widest numbers. */
    private static final long SEGMENT = AnswerSize.syntax("{\"key\":\"\",\"name\":\"\",\"description\":\"\",\"tags\":[],"
            + "\"creationDate\":,\"lastModifiedDate\":,\"version\":,\"deleted\":false,\"generation\":1,\"rules\":[],"
            + "\"included\":[],\"excluded\":[],\"includedContexts\":[],\"excludedContexts\":[],\"unbounded\":false,"
            + "\"_links\":{\"self\":{\"href\":\"/api/v2/segments///\",\"type\":\"application/json\"}}},") + 3 * 20;

    private final long itemBase;
    private final Map<String, Integer> groups = new HashMap<>();
    private long listed;
    private long scheduled;

    private Footprint(SegmentKey key) {
        this.itemBase = ITEM + AnswerSize.of(key.projectKey()) + AnswerSize.of(key.environmentKey()) + AnswerSize.of(key.key());
    }

    public static Footprint of(Segment segment) {
        return of(segment.key(), segment.targets(), segment.schedules().values());
    }

    static Footprint of(SegmentKey key, Collection<TargetRef> targets, Collection<ExpiringTarget> schedules) {
        Footprint footprint = new Footprint(key);
        targets.forEach(footprint::add);
        schedules.forEach(footprint::add);
        return footprint;
    }

    /** Bytes the targets take in the segment answer. */
    public long listed() {
        return listed;
    }

    /** Bytes the schedules take in the expiring-targets answer. */
    public long scheduled() {
        return scheduled;
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

    /** What {@link #listed} would be with these targets, none of them in the segment yet, added. */
    long listedWith(Collection<TargetRef> fresh) {
        long bytes = listed;
        Set<String> newGroups = new HashSet<>();
        for (TargetRef ref : fresh) {
            bytes += key(ref);
            if (!ref.isUser() && !groups.containsKey(group(ref)) && newGroups.add(group(ref))) {
                bytes += groupBytes(ref);
            }
        }
        return bytes;
    }

    /** What {@link #scheduled} would be with this schedule added. */
    long scheduledWith(ExpiringTarget schedule) {
        return scheduled + item(schedule);
    }

    void add(TargetRef ref) {
        listed += key(ref);
        if (!ref.isUser() && groups.merge(group(ref), 1, Integer::sum) == 1) {
            listed += groupBytes(ref);
        }
    }

    void remove(TargetRef ref) {
        listed -= key(ref);
        if (!ref.isUser() && groups.merge(group(ref), -1, Integer::sum) == 0) {
            groups.remove(group(ref));
            listed -= groupBytes(ref);
        }
    }

    void add(ExpiringTarget schedule) {
        scheduled += item(schedule);
    }

    void remove(ExpiringTarget schedule) {
        scheduled -= item(schedule);
    }

    private long item(ExpiringTarget schedule) {
        TargetRef ref = schedule.target();
        return itemBase + AnswerSize.of(schedule.id()) + AnswerSize.of(ref.key()) + AnswerSize.of(ref.contextKind());
    }

    /** A key in a list, and the comma after it. */
    private static long key(TargetRef ref) {
        return AnswerSize.quoted(ref.key()) + 1;
    }

    private static long groupBytes(TargetRef ref) {
        return GROUP + AnswerSize.of(ref.contextKind());
    }

    private static String group(TargetRef ref) {
        return ref.type() + "\u0000" + ref.contextKind();
    }
}
