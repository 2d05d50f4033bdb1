package dev.segments.segment;

import java.util.AbstractSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * A segment's targets: a set nobody can change, which a {@link Segment} takes over as it is
 * (a draft hands over the set it built, and nothing else holds it) instead of copying
 * 15,000 refs again, and which keeps their {@link TargetTally}, counted once when first asked
 * and then carried from segment to segment by the drafts that change them.
 */
final class TargetSet extends AbstractSet<TargetRef> {

    private final Set<TargetRef> refs;
    private TargetTally tally;

    /** Takes over {@code refs}, which nothing else may hold, with their tally if it is known (else null). */
    TargetSet(HashSet<TargetRef> refs, TargetTally tally) {
        this.refs = Collections.unmodifiableSet(refs);
        this.tally = tally;
    }

    /** The set as a segment holds it: taken as it is if it is one already, else copied. */
    static TargetSet of(Set<TargetRef> targets) {
        return targets instanceof TargetSet held ? held : new TargetSet(new HashSet<>(targets), null);
    }

    /** A copy for a draft to change. */
    HashSet<TargetRef> copy() {
        return new HashSet<>(refs);
    }

    /** The tally, counted on first use; never changed, so copy it to change it. */
    synchronized TargetTally tally() {
        if (tally == null) {
            tally = TargetTally.of(refs);
        }
        return tally;
    }

    /** A copy of the tally for a draft to keep up to date, if it was counted; null if not. */
    synchronized TargetTally tallyIfCounted() {
        return tally == null ? null : tally.copy();
    }

    @Override
    public boolean contains(Object o) {
        return refs.contains(o);
    }

    @Override
    public Iterator<TargetRef> iterator() {
        return refs.iterator();
    }

    @Override
    public int size() {
        return refs.size();
    }
}
