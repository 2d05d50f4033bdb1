package dev.segments.segment;

/**
 * What text costs in a Lambda answer, the measure of every bound on what a segment may hold.
 * Lambda refuses a response payload over {@link #LAMBDA_LIMIT} bytes, and the payload is API
 * Gateway's response event as JSON, in which the body is one JSON string: text inside the body
 * is escaped once as JSON there and once more in the event. So a {@code "} or {@code \} costs 4
 * bytes, a control character 3 ({@code \\n}) or 7 ({@code \\u0001}), a UTF-16 surrogate 7 (an
 * escaped {@code \\ud83d}, at worst), and every other character its UTF-8 bytes.
 */
public final class AnswerSize {

    /** The largest response payload Lambda returns, in bytes (its "6 MB"). */
    public static final long LAMBDA_LIMIT = 6_291_556;

    private AnswerSize() {
    }

    /** Bytes of {@code text} inside a JSON string of the body, quotes not counted. */
    public static long of(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            bytes += of(text.charAt(i));
        }
        return bytes;
    }

    /** Bytes of {@code text} as a JSON string value of the body: its two quotes are escaped too. */
    public static long quoted(CharSequence text) {
        return 4 + of(text);
    }

    /** Bytes of JSON syntax of the body ({@code {"key":[]}}, without values): only its quotes are escaped, once. */
    public static long syntax(String json) {
        return json.length() + json.chars().filter(c -> c == '"').count();
    }

    private static int of(char c) {
        if (c == '"' || c == '\\') {
            return 4;
        }
        if (c < 0x20) {
            return c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r' ? 3 : 7;
        }
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        return Character.isSurrogate(c) ? 7 : 3;
    }
}
