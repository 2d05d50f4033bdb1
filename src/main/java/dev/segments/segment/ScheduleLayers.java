package dev.segments.segment;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Schedules as a root map nobody changes (shared by the maps layered over it) and changes over
 * it: a target's schedule, or null where it was removed ({@link ScheduleMap}). Values are never
 * null, so a target is in the map exactly when {@link #get} finds it.
 */
abstract sealed class ScheduleLayers extends AbstractMap<TargetRef, ExpiringTarget> permits ScheduleMap, ScheduleMap.Edits {
    final Map<TargetRef, ExpiringTarget> root;
    final Map<TargetRef, ExpiringTarget> changes;
    int size;

    ScheduleLayers(Map<TargetRef, ExpiringTarget> root, Map<TargetRef, ExpiringTarget> changes, int size) {
        this.root = root;
        this.changes = changes;
        this.size = size;
    }

    @Override
    public ExpiringTarget get(Object target) {
        if (!changes.isEmpty() && changes.containsKey(target)) {
            return changes.get(target);
        }
        return root.get(target);
    }

    @Override
    public boolean containsKey(Object target) {
        return get(target) != null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<TargetRef, ExpiringTarget>> entrySet() {
        if (changes.isEmpty()) {
            return root.entrySet();
        }
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<TargetRef, ExpiringTarget>> iterator() {
                return new Merged(root.entrySet().iterator(), changes.entrySet().iterator());
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** The root's entries the changes leave as they are, then the changes that are schedules. */
    private final class Merged implements Iterator<Entry<TargetRef, ExpiringTarget>> {
        private final Iterator<Entry<TargetRef, ExpiringTarget>> rootEntries;
        private final Iterator<Entry<TargetRef, ExpiringTarget>> changed;
        private Entry<TargetRef, ExpiringTarget> next;

        Merged(Iterator<Entry<TargetRef, ExpiringTarget>> rootEntries, Iterator<Entry<TargetRef, ExpiringTarget>> changed) {
            this.rootEntries = rootEntries;
            this.changed = changed;
            advance();
        }

        private void advance() {
            next = null;
            while (next == null && rootEntries.hasNext()) {
                Entry<TargetRef, ExpiringTarget> entry = rootEntries.next();
                next = changes.containsKey(entry.getKey()) ? null : entry;
            }
            while (next == null && changed.hasNext()) {
                Entry<TargetRef, ExpiringTarget> entry = changed.next();
                next = entry.getValue() == null ? null : new SimpleImmutableEntry<>(entry);
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry<TargetRef, ExpiringTarget> next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Entry<TargetRef, ExpiringTarget> entry = next;
            advance();
            return entry;
        }
    }
}
