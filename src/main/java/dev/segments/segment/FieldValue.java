package dev.segments.segment;

import java.util.List;

/** The value a JSON Patch operation carries, in the shapes a segment's fields take. */
public sealed interface FieldValue {

    /** A string: a name, a description, one tag or one user key. */
    record Text(String value) implements FieldValue {
    }

    /** A whole list of strings: the tags, or the user keys of one list. */
    record Texts(List<String> values) implements FieldValue {
        public Texts {
            values = List.copyOf(values);
        }
    }

    /** JSON {@code null}: what a segment without a description has there. */
    record Nothing() implements FieldValue {
    }
}
