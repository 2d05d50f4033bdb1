package dev.segments.segment;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The answer bytes a segment's targets take in its segment answer ({@link Footprint#listed}):
 * every key in its list, and per context kind and list a group. Kept with the targets
 * ({@link TargetSet}) and carried through a draft's changes, so that a change adds or removes
 * what it changed instead of recounting every key.
 */
final class TargetTally {

    private long bytes;
    private final Map<String, Integer> groups;

    private TargetTally(long bytes, Map<String, Integer> groups) {
        this.bytes = bytes;
        this.groups = groups;
    }

    static TargetTally of(Collection<TargetRef> targets) {
        TargetTally tally = new TargetTally(0, new HashMap<>());
        targets.forEach(tally::add);
        return tally;
    }

    /** A copy to change: a tally kept with a segment's targets never changes. */
    TargetTally copy() {
        return new TargetTally(bytes, new HashMap<>(groups));
    }

    long bytes() {
        return bytes;
    }

    /** What {@link #bytes} would be with these targets, none of them counted yet, added. */
    long bytesWith(Collection<TargetRef> fresh) {
        long with = bytes;
        Set<String> newGroups = new HashSet<>();
        for (TargetRef ref : fresh) {
            with += key(ref);
            if (!ref.isUser() && !groups.containsKey(group(ref)) && newGroups.add(group(ref))) {
                with += groupBytes(ref);
            }
        }
        return with;
    }

    void add(TargetRef ref) {
        bytes += key(ref);
        if (!ref.isUser() && groups.merge(group(ref), 1, Integer::sum) == 1) {
            bytes += groupBytes(ref);
        }
    }

    void remove(TargetRef ref) {
        bytes -= key(ref);
        if (!ref.isUser() && groups.merge(group(ref), -1, Integer::sum) == 0) {
            groups.remove(group(ref));
            bytes -= groupBytes(ref);
        }
    }

    /** A key in a list, and the comma after it. */
    private static long key(TargetRef ref) {
        return AnswerSize.quoted(ref.key()) + 1;
    }

    private static long groupBytes(TargetRef ref) {
        return Footprint.GROUP + AnswerSize.of(ref.contextKind());
    }

    private static String group(TargetRef ref) {
        return ref.type() + "\u0000" + ref.contextKind();
    }
}
