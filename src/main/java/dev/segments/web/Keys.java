package dev.segments.web;

import dev.segments.segment.SegmentLimits;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The rules keys must follow before they reach the store. */
public final class Keys {

    private static final Pattern RESOURCE_KEY = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$");

    private Keys() {
    }

    /** Project, environment and segment keys. */
    public static String resource(String what, String key) {
        if (key == null || !RESOURCE_KEY.matcher(key).matches()) {
            throw ApiError.invalid("The " + what + " key \"" + printable(key) + "\" is not valid: keys start with a letter or digit,"
                    + " contain only letters, digits, '.', '_' and '-', and are at most 256 characters long.");
        }
        return key;
    }

    /** Target (user or context) keys: data, never parsed, so any non-empty string of bounded size. */
    public static boolean validTarget(String key) {
        return key != null && !key.isEmpty() && key.getBytes(StandardCharsets.UTF_8).length <= SegmentLimits.MAX_TARGET_KEY_BYTES;
    }

    private static String printable(String key) {
        if (key == null) {
            return "";
        }
        String shown = key.length() > 80 ? key.substring(0, 80) + "…" : key;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
