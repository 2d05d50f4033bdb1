package dev.segments.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * UTF-8 text escaped for a JSON string, byte for byte as Jackson's generator (its defaults, which
 * the Lambda poll loop's writer keeps) escapes the same text given as a String: {@code "}, a
 * backslash and control characters escaped ({@code \b \t \n \f \r}, else {@code \}{@code u00XX}
 * in upper-case hex), a character beyond the BMP as its two surrogates' escapes (Jackson 2 does
 * not write them as four UTF-8 bytes unless told to), every other character as its UTF-8 bytes.
 * One pass over the bytes, nothing through chars.
 */
public final class JsonStringBytes {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /** Per byte: 0 copied as it is, a letter to put after a backslash, or -1 to read a multi-byte sequence. */
    private static final byte[] ESCAPES = new byte[256];

    static {
        for (int b = 0; b < 0x20; b++) {
            ESCAPES[b] = 'u';
        }
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        for (int b = 0x80; b < 0x100; b++) {
            ESCAPES[b] = -1;
        }
    }

    private JsonStringBytes() {
    }

    /**
     * The escaped form (without quotes) of {@code length} bytes of UTF-8 from {@code offset}, or
     * null if they are not well-formed UTF-8, which a String would have decoded with replacement
     * characters: the caller then goes the String's way. Written into {@code buffer} when it is
     * large enough, else into a new array.
     */
    public static Escaped escape(byte[] in, int offset, int length, byte[] buffer) {
        // A schedules answer escapes about one byte in seven (its quotes): room for a quarter more, grown if need be.
        int room = length + (length >> 2) + 16;
        Escaped out = new Escaped(buffer != null && buffer.length >= room ? buffer : new byte[room], 0);
        return escapeInto(in, offset, offset + length, out);
    }

    /**
     * Items joined by commas (item {@code i} ends at {@code ends[i]}, the next starts after its
     * comma), escaped: the same bytes as escaping them whole, in an array of their exact size,
     * with where each item ends in it. Each item must be well-formed UTF-8 (as JSON a generator
     * wrote is).
     */
    public static Escaped escapeItems(byte[] in, int[] ends, int[] escapedEnds) {
        Escaped out = new Escaped(new byte[in.length + (in.length >> 2) + 16], 0);
        int start = 0;
        for (int i = 0; i < ends.length; i++) {
            if (i > 0) {
                out = escapeInto(in, start - 1, start, out);
            }
            out = escapeInto(in, start, ends[i], out);
            if (out == null) {
                throw new IllegalArgumentException("item " + i + " is not well-formed UTF-8");
            }
            escapedEnds[i] = out.length();
            start = ends[i] + 1;
        }
        return new Escaped(Arrays.copyOf(out.bytes(), out.length()), out.length());
    }

    /** {@code out} with the bytes from {@code i} to {@code to} escaped after it; null if they are not well-formed UTF-8. */
    private static Escaped escapeInto(byte[] in, int i, int to, Escaped out) {
        byte[] bytes = out.bytes();
        int written = out.length();
        if (bytes.length - written < to - i) {
            bytes = Arrays.copyOf(bytes, written + (to - i) + ((to - i) >> 2) + 16);
        }
        while (i < to) {
            byte b = in[i];
            int escape = ESCAPES[b & 0xFF];
            if (escape == 0) {
                bytes[written++] = b;
                i++;
                continue;
            }
            int sequence = escape < 0 ? sequenceLength(in, i, to) : 1;
            if (sequence < 0) {
                return null;
            }
            if (sequence == 2 || sequence == 3) {
                for (int end = i + sequence; i < end; i++) {
                    bytes[written++] = in[i];
                }
                continue;
            }
            // Room for the rest of the input as it is is kept; an escape writes at most 11 bytes more than it reads.
            if (bytes.length - written < to - i + 11) {
                bytes = Arrays.copyOf(bytes, bytes.length + Math.max(bytes.length >> 1, 11));
            }
            written = escape > 0 ? writeEscape(b, escape, bytes, written) : writeSurrogates(codePoint(in, i), bytes, written);
            i += sequence;
        }
        return new Escaped(bytes, written);
    }

    /** The escaped text: the first {@code length} bytes of {@code bytes}. */
    public record Escaped(byte[] bytes, int length) {
    }

    private static int writeEscape(byte b, int escape, byte[] out, int at) {
        if (escape != 'u') {
            out[at] = '\\';
            out[at + 1] = (byte) escape;
            return at + 2;
        }
        return writeUnicodeEscape(b, out, at);
    }

    private static int writeSurrogates(int codePoint, byte[] out, int at) {
        return writeUnicodeEscape(Character.lowSurrogate(codePoint), out, writeUnicodeEscape(Character.highSurrogate(codePoint), out, at));
    }

    private static int writeUnicodeEscape(int c, byte[] out, int at) {
        out[at] = '\\';
        out[at + 1] = 'u';
        out[at + 2] = HEX[(c >> 12) & 0xF];
        out[at + 3] = HEX[(c >> 8) & 0xF];
        out[at + 4] = HEX[(c >> 4) & 0xF];
        out[at + 5] = HEX[c & 0xF];
        return at + 6;
    }

    /**
     * The length of the well-formed UTF-8 sequence at {@code i} (Unicode's table 3-7: no overlong
     * forms, no surrogates, nothing above U+10FFFF), or -1.
     */
    private static int sequenceLength(byte[] in, int i, int to) {
        int lead = in[i] & 0xFF;
        int length;
        int low = 0x80;
        int high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            low = lead == 0xE0 ? 0xA0 : low;
            high = lead == 0xED ? 0x9F : high;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            low = lead == 0xF0 ? 0x90 : low;
            high = lead == 0xF4 ? 0x8F : high;
        } else {
            return -1;
        }
        if (to - i < length) {
            return -1;
        }
        int second = in[i + 1] & 0xFF;
        if (second < low || second > high) {
            return -1;
        }
        for (int k = 2; k < length; k++) {
            if ((in[i + k] & 0xC0) != 0x80) {
                return -1;
            }
        }
        return length;
    }

    private static int codePoint(byte[] in, int i) {
        return (in[i] & 0x07) << 18 | (in[i + 1] & 0x3F) << 12 | (in[i + 2] & 0x3F) << 6 | in[i + 3] & 0x3F;
    }
}
