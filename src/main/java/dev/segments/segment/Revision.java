package dev.segments.segment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A segment together with the changes that led to it from the stored state {@code from}, one
 * per version step. No changes means there is nothing to write. {@code touched} holds every
 * target whose membership or schedule the changes may have changed: any other target is in
 * {@code segment} exactly as in {@code from}, so a store can tell which of its parts to
 * compare without going over all of them.
 */
public record Revision(Segment from, Segment segment, List<Change> changes, Set<TargetRef> touched) {

    public Revision {
        changes = List.copyOf(changes);
        touched = Set.copyOf(touched);
    }

    /** The stored segment, unchanged. */
    static Revision of(Segment stored) {
        return new Revision(stored, stored, List.of(), Set.of());
    }

    public boolean changed() {
        return !changes.isEmpty();
    }

    /** Adds a draft's changes (if any) as the next version step. */
    Revision then(SegmentDraft draft, long now, Actor actor, String comment) {
        Segment next = draft.toSegment(now);
        if (next == segment) {
            return this;
        }
        List<Change> all = new ArrayList<>(changes);
        all.add(new Change(next.version(), now, actor, comment, draft.effects()));
        Set<TargetRef> touchedSince = new HashSet<>(touched);
        touchedSince.addAll(draft.touched());
        return new Revision(from, next, all, touchedSince);
    }
}
