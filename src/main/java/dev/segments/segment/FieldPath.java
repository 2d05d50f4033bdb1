package dev.segments.segment;

/**
 * A place in a segment as LaunchDarkly's representation of it shows it, for a JSON Patch
 * (RFC 6902) to address: a field as a whole, or one element of a list field by its index in
 * the list as shown, or the end of a list ({@code -}).
 */
public record FieldPath(Field field, Position position) {

    /** The parts of a segment a JSON Patch may change. */
    public enum Field {
        NAME("name", false),
        DESCRIPTION("description", false),
        /** In their order. */
        TAGS("tags", true),
        /** User keys, sorted. */
        INCLUDED("included", true),
        /** User keys, sorted. */
        EXCLUDED("excluded", true);

        private final String wire;
        private final boolean list;

        Field(String wire, boolean list) {
            this.wire = wire;
            this.list = list;
        }

        public String wire() {
            return wire;
        }

        public boolean isList() {
            return list;
        }
    }

    /** Where in the field: all of it, the element at an index, or past the last element. */
    public sealed interface Position {
        record Whole() implements Position {
        }

        record At(int index) implements Position {
        }

        record End() implements Position {
        }
    }

    public static FieldPath whole(Field field) {
        return new FieldPath(field, new Position.Whole());
    }

    public boolean isWhole() {
        return position instanceof Position.Whole;
    }

    /** The path as JSON Pointer, for messages. */
    public String pointer() {
        String base = "/" + field.wire();
        if (position instanceof Position.At at) {
            return base + "/" + at.index();
        }
        return position instanceof Position.End ? base + "/-" : base;
    }
}
