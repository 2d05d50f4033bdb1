package dev.segments.audit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.segment.SegmentKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResourceSpecTest {

    static boolean matches(String spec, String project, String environment, String segment) {
        return ResourceSpec.parse(spec).matches(new SegmentKey(project, environment, segment));
    }

    @Test
    void wildcardsMatchAnyRunOfCharacters() {
        assertTrue(matches("proj/*", "p", "e", "s"));
        assertTrue(matches("proj/p:env/*:segment/beta-*", "p", "prod", "beta-testers"));
        assertTrue(matches("proj/p:env/e:segment/*-testers", "p", "e", "beta-testers"));
        assertTrue(matches("proj/p:env/e:segment/b*t*s", "p", "e", "beta-testers"));
        assertTrue(matches("proj/p:env/e:segment/**", "p", "e", ""));
        assertTrue(matches("proj/a*a:env/e:segment/s", "p".replace("p", "aa"), "e", "s"));
        assertFalse(matches("proj/a*a:env/e:segment/s", "a", "e", "s"), "one 'a' cannot be both ends");
        assertFalse(matches("proj/p:env/e:segment/beta-*", "p", "e", "alpha-testers"));
        assertFalse(matches("proj/p:env/e:segment/*-testers", "p", "e", "beta-tester"));
        assertFalse(matches("proj/p:env/e:segment/b*x*s", "p", "e", "beta-testers"));
        assertTrue(matches("proj/p.x:env/e:segment/s", "p.x", "e", "s"), "other characters are literal");
        assertFalse(matches("proj/p.x:env/e:segment/s", "pyx", "e", "s"), "'.' is not a regex wildcard");
        assertFalse(matches("proj/p:env/e:flag/s", "p", "e", "s"), "another resource kind matches no segment");
    }

    /**
     * A spec with many wildcards against a long key that almost matches: a backtracking matcher
     * takes time exponential in the wildcards (here, far beyond the limit); this one is linear.
     */
    @Test
    void manyWildcardsAgainstALongKeyAnswerAtOnce() {
        String spec = "proj/" + "*a".repeat(40) + "*b";
        String key = "a".repeat(256);
        boolean[] matched = new boolean[1];
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 1000; i++) {
                matched[0] |= matches(spec, key, "e", "s");
            }
        });
        assertFalse(matched[0]);
        assertTrue(matches(spec, key + "b", "e", "s"));
    }
}
