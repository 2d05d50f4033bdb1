package dev.segments.web;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Headers of API Gateway's events, whose names come in any case: API Gateway lowercases them,
 * the local event server keeps the caller's.
 */
final class EventHeaders {

    private EventHeaders() {
    }

    /** The value of the header {@code name}, or null. */
    static String get(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** A copy to change, without the headers {@code names} (given in lower case). */
    static Map<String, String> without(Map<String, String> headers, Set<String> names) {
        Map<String, String> copy = new HashMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (!names.contains(name.toLowerCase(Locale.ROOT))) {
                    copy.put(name, value);
                }
            });
        }
        return copy;
    }
}
