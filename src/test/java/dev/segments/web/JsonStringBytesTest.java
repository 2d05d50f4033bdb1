package dev.segments.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** UTF-8 escaped for a JSON string from its bytes, exactly as Jackson's generator writes the same text given as a String. */
class JsonStringBytesTest {

    @Test
    void escapesAsJacksonWritesTheString() {
        byte[] buffer = null;
        for (String body : bodies()) {
            byte[] utf8 = body.getBytes(StandardCharsets.UTF_8);
            byte[] padded = new byte[utf8.length + 7];
            System.arraycopy(utf8, 0, padded, 3, utf8.length);
            // what the event carried before: the bytes decoded, then written by Jackson
            String expected = unquoted(jackson(new String(utf8, StandardCharsets.UTF_8)));
            assertEquals(expected, text(JsonStringBytes.escape(utf8, 0, utf8.length, null)), body);
            JsonStringBytes.Escaped reused = JsonStringBytes.escape(padded, 3, utf8.length, buffer);
            assertEquals(expected, text(reused), body);
            buffer = reused.bytes();
        }
    }

    @Test
    void bytesThatAreNotWellFormedUtf8AreRefused() {
        // overlong, surrogates, above U+10FFFF, stray continuations, cut short, bytes UTF-8 never uses
        for (String hex : List.of("c080", "c1bf", "e08080", "e09fbf", "eda080", "edbfbf", "f08f8080", "f4908080", "f5808080", "80",
                "bf", "41c3", "41e282", "41f09f98", "c328", "e228a1", "f0289f98", "fe", "ff")) {
            byte[] bytes = HexFormat.of().parseHex(hex);
            assertNull(JsonStringBytes.escape(bytes, 0, bytes.length, null), hex);
        }
    }

    /**
     * Bodies to compare: each ASCII character alone (every control character among them),
     * characters of every UTF-8 length at their edges, surrogate pairs, a String's lone
     * surrogate (encoded as {@code ?}), an answer-like JSON text, random text, one long
     * enough to cross Jackson's buffers, and some that escape far more than JSON answers do.
     */
    static List<String> bodies() {
        List<String> bodies = new ArrayList<>(List.of("", "a", "\"", "\\", "\"\\\"", "\u007f", "\u0080\u009f\u00a0\u00ff", "\u07ff\u0800",
                "\ud7ff\ue000\ufffd\uffff", "\u2028\u2029", "ü-ключ-😀-\"0", "😀", "a😀b😀", "\udbff\udfff", "\ud800\udc00", "\ud800", "x\udc00y",
                "{\"items\":[{\"userKey\":\"ü-ключ-😀-\\\"0\",\"targetType\":\"included\",\"value\":1735689600000,\"version\":3}],"
                        + "\"totalCount\":1,\"_links\":{\"self\":{\"href\":\"/api/v2/segments/p/s/expiring-user-targets/e\"}}}"));
        for (char c = 0; c < 0x80; c++) {
            bodies.add(String.valueOf(c));
            bodies.add("a" + c + "b");
        }
        Random random = new Random(16);
        int[] edges = {0x00, 0x1f, 0x20, 0x22, 0x5c, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xffff, 0x10000, 0x10ffff};
        for (int n = 0; n < 300; n++) {
            StringBuilder body = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) {
                int codePoint = switch (random.nextInt(5)) {
                    case 0 -> random.nextInt(0x80);
                    case 1 -> 0x80 + random.nextInt(0x780);
                    case 2 -> 0x800 + random.nextInt(0xd000);
                    case 3 -> 0x10000 + random.nextInt(0x100000);
                    default -> edges[random.nextInt(edges.length)];
                };
                body.appendCodePoint(codePoint);
            }
            bodies.add(body.toString());
        }
        StringBuilder large = new StringBuilder();
        while (large.length() < 100_000) {
            large.append(bodies.get(random.nextInt(bodies.size())));
        }
        bodies.add(large.toString());
        bodies.addAll(List.of("\u0001".repeat(5000), "\"".repeat(5000), "😀".repeat(3000), "a\u001f😀\"".repeat(2000)));
        return bodies;
    }

    private static String text(JsonStringBytes.Escaped escaped) {
        return new String(escaped.bytes(), 0, escaped.length(), StandardCharsets.UTF_8);
    }

    /** The JSON string Jackson writes for {@code text} with its defaults. */
    private static String jackson(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = new JsonFactory().createGenerator(out)) {
            generator.writeString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String unquoted(String json) {
        return json.substring(1, json.length() - 1);
    }
}
