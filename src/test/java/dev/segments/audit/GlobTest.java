package dev.segments.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GlobTest {

    /** A key that counts how often the matcher reads it: the matcher's steps. */
    static final class Counted implements CharSequence {
        final String text;
        long reads;

        Counted(String text) {
            this.text = text;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            reads++;
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            throw new UnsupportedOperationException("the matcher reads characters one by one");
        }
    }

    @Test
    void stepsGrowLinearlyWithKeyAndPattern() {
        for (int stars : new int[] {1, 10, 100, 1000}) {
            String pattern = "*a".repeat(stars) + "*b";
            for (int length : new int[] {10, 256, 10_000}) {
                Counted key = new Counted("a".repeat(length));
                assertFalse(Glob.of(pattern).matches(key));
                assertTrue(key.reads <= 2L * (length + pattern.length()), stars + " wildcards, key of " + length + ": "
                        + key.reads + " reads");
            }
        }
    }

    @Test
    void agreesWithARegularExpressionOnRandomKeysAndPatterns() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            String key = word(random, random.nextInt(12), "ab.");
            String pattern = word(random, random.nextInt(8), "ab.*");
            Pattern regex = Pattern.compile(String.join(".*", java.util.Arrays.stream(pattern.split("\\*", -1))
                    .map(Pattern::quote).toList()), Pattern.DOTALL);
            assertEquals(regex.matcher(key).matches(), Glob.of(pattern).matches(key), pattern + " against " + key);
        }
    }

    static String word(Random random, int length, String alphabet) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
