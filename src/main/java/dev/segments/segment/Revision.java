package dev.segments.segment;

import java.util.ArrayList;
import java.util.List;

/**
 * A segment together with the changes that led to it from the stored state, one per version
 * step. No changes means there is nothing to write.
 */
public record Revision(Segment segment, List<Change> changes) {

    public Revision {
        changes = List.copyOf(changes);
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
        return new Revision(next, all);
    }
}
