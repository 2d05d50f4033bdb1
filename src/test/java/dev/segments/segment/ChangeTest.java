package dev.segments.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChangeTest {

    static final Actor TOKEN = new Actor("t-1", "tester");

    static long bytes(List<String> effects) {
        return effects.stream().mapToLong(AnswerSize::of).sum();
    }

    @Test
    void effectsOfLongKeysAreSummarisedWithinTheirBytes() {
        List<String> effects = IntStream.range(0, 40).mapToObj(i -> "Added user \"" + i + "\u0001".repeat(510) + "\" to included").toList();
        Change change = new Change(2, 1L, TOKEN, null, effects);
        assertTrue(bytes(change.effects()) <= Change.MAX_EFFECT_BYTES, bytes(change.effects()) + " bytes");
        assertTrue(change.effects().size() < 40);
        String last = change.effects().get(change.effects().size() - 1);
        assertEquals("… and " + (40 - change.effects().size() + 1) + " more changes of the same request", last);
        // Read back from the store, a summarised change stays as it is.
        assertEquals(change, new Change(2, 1L, TOKEN, null, change.effects()));
    }

    @Test
    void shortEffectsAreKeptUpToTheirCount() {
        List<String> effects = IntStream.range(0, 50).mapToObj(i -> "Added user \"u" + i + "\" to included").toList();
        assertEquals(effects, new Change(2, 1L, TOKEN, null, effects).effects());
    }
}
