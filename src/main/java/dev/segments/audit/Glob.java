package dev.segments.audit;

import java.util.List;

/**
 * A key pattern in which {@code *} stands for any run of characters (none included) and every
 * other character for itself. Matched in time linear in the key and the pattern, whatever the
 * wildcards: the literal parts between them must occur in order, so each is found at its
 * leftmost place after the previous one (Knuth-Morris-Pratt), and nothing is ever retried.
 */
record Glob(List<String> parts) {

    static Glob of(String pattern) {
        return new Glob(List.of(pattern.split("\\*", -1)));
    }

    boolean matches(CharSequence text) {
        String first = parts.get(0);
        if (parts.size() == 1) {
            return text.length() == first.length() && startsWith(text, first, 0);
        }
        String last = parts.get(parts.size() - 1);
        int end = text.length() - last.length();
        if (end < first.length() || !startsWith(text, first, 0) || !startsWith(text, last, end)) {
            return false;
        }
        int at = first.length();
        for (String part : parts.subList(1, parts.size() - 1)) {
            int found = find(text, part, at, end);
            if (found < 0) {
                return false;
            }
            at = found + part.length();
        }
        return true;
    }

    private static boolean startsWith(CharSequence text, String part, int from) {
        for (int i = 0; i < part.length(); i++) {
            if (text.charAt(from + i) != part.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Where {@code part} first occurs wholly within {@code text[from, to)}, or -1. */
    private static int find(CharSequence text, String part, int from, int to) {
        if (part.isEmpty()) {
            return from;
        }
        int[] fallback = new int[part.length()];
        for (int i = 1, k = 0; i < part.length(); i++) {
            while (k > 0 && part.charAt(i) != part.charAt(k)) {
                k = fallback[k - 1];
            }
            if (part.charAt(i) == part.charAt(k)) {
                k++;
            }
            fallback[i] = k;
        }
        for (int i = from, k = 0; i < to; i++) {
            char c = text.charAt(i);
            while (k > 0 && c != part.charAt(k)) {
                k = fallback[k - 1];
            }
            if (c == part.charAt(k)) {
                k++;
            }
            if (k == part.length()) {
                return i - k + 1;
            }
        }
        return -1;
    }
}
