package dev.segments.segment;

import java.util.Comparator;
import java.util.Objects;

/**
 * One context in one of a segment's target lists. A user key is the context key of kind
 * {@code user}, so user instructions and context instructions meet on the same ref.
 */
public record TargetRef(TargetType type, String contextKind, String key) {

    public static final String USER = "user";

    /** By key, then kind, then list; written out, as answers sort up to 15,000 schedules with it. */
    public static final Comparator<TargetRef> ORDER = (a, b) -> {
        int byKey = a.key.compareTo(b.key);
        if (byKey != 0) {
            return byKey;
        }
        int byKind = a.contextKind.compareTo(b.contextKind);
        return byKind != 0 ? byKind : a.type.compareTo(b.type);
    };

    public TargetRef {
        Objects.requireNonNull(type);
        Objects.requireNonNull(contextKind);
        Objects.requireNonNull(key);
    }

    // Written out rather than generated: a native image runs a record's generated equals and
    // hashCode through interpreted method handles, and a segment hashes up to 15,000 refs per request.
    @Override
    public boolean equals(Object other) {
        return other instanceof TargetRef ref && type == ref.type && key.equals(ref.key) && contextKind.equals(ref.contextKind);
    }

    @Override
    public int hashCode() {
        return (31 * type.hashCode() + contextKind.hashCode()) * 31 + key.hashCode();
    }

    public boolean isUser() {
        return USER.equals(contextKind);
    }

    /** How messages name this target: users as users, other contexts with their kind. */
    public String describe() {
        return isUser() ? "user \"" + key + "\"" : "context \"" + key + "\" of kind \"" + contextKind + "\"";
    }
}
