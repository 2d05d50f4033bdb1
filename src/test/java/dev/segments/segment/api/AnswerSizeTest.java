package dev.segments.segment.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.segment.AnswerSize;
import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.Footprint;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentLimits;
import dev.segments.segment.SegmentPatches.InstructionError;
import dev.segments.segment.TargetRef;
import dev.segments.segment.TargetType;
import dev.segments.web.JsonAnswer;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The core's {@link Footprint} counts what the representations here write: for segments with
 * hostile keys, the measured answers (the body as Quarkus writes it, escaped again as the
 * response event's body string) never exceed what the core counted, and are close to it.
 */
class AnswerSizeTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] ALPHABET = {"a", "Z", "9", "-", "\"", "\\", "\u0001", "\n", "\u007f", "é", "€", "\u2028", "😀",
            "\ud800", "/", "<", " "};

    /** Bytes of a representation in Lambda's response event: its UTF-8 JSON, as the event's body string. */
    static long eventBytes(ObjectNode body) {
        try {
            String text = new String(JSON.writeValueAsBytes(body), StandardCharsets.UTF_8);
            return JSON.writeValueAsBytes(text).length - 2;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An answer as the client reads it. */
    static ObjectNode tree(JsonAnswer answer) {
        try {
            return (ObjectNode) JSON.readTree(ByteBufUtil.getBytes(answer.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String word(Random random, int maxChars) {
        StringBuilder out = new StringBuilder();
        int length = 1 + random.nextInt(maxChars);
        while (out.length() < length) {
            out.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return out.toString();
    }

    static Segment randomSegment(Random random, SegmentKey key) {
        Set<TargetRef> targets = new HashSet<>();
        Map<TargetRef, ExpiringTarget> schedules = new HashMap<>();
        String[] kinds = {"user", "user", "org", "device", "k".repeat(64)};
        int count = random.nextInt(300);
        for (int i = 0; i < count; i++) {
            TargetRef ref = new TargetRef(random.nextBoolean() ? TargetType.INCLUDED : TargetType.EXCLUDED,
                    kinds[random.nextInt(kinds.length)], word(random, 200));
            targets.add(ref);
            if (random.nextBoolean()) {
                schedules.put(ref, new ExpiringTarget(String.format("%024x", random.nextLong() & Long.MAX_VALUE),
                        1 + random.nextInt(Integer.MAX_VALUE), 1_800_000_000_000L + random.nextInt(1_000_000), ref));
            }
        }
        List<String> tags = new ArrayList<>();
        for (int i = random.nextInt(SegmentLimits.MAX_TAGS); i > 0; i--) {
            tags.add(word(random, 32));
        }
        return new Segment(key, word(random, 128), random.nextBoolean() ? null : word(random, 2000), tags.stream().distinct().toList(),
                1_700_000_000_000L, 1_700_000_000_001L, 1 + random.nextInt(1_000_000), targets, schedules);
    }

    @Test
    void theCoreCountsAtLeastWhatTheAnswersTakeAndNotMuchMore() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            SegmentKey key = random.nextBoolean() ? new SegmentKey("p", "e", "s")
                    : new SegmentKey("p".repeat(256), "e".repeat(256), "s".repeat(1 + random.nextInt(256)));
            Segment segment = randomSegment(random, key);
            Footprint footprint = Footprint.of(segment);

            long segmentAnswer = eventBytes(SegmentJson.segment(segment)) + 1;
            long counted = Footprint.segmentAnswer(segment);
            assertTrue(segmentAnswer <= counted && counted - segmentAnswer < 100, "segment answer " + segmentAnswer + ", counted " + counted);

            Segment unscheduled = new Segment(key, segment.name(), segment.description(), segment.tags(), segment.creationDate(),
                    segment.lastModifiedDate(), segment.version(), segment.targets(), Map.of());
            long contexts = eventBytes(tree(ExpiringAnswer.of(ExpiringAnswerTest.unchanged(segment), ExpiringView.CONTEXTS)))
                    - eventBytes(tree(ExpiringAnswer.of(ExpiringAnswerTest.unchanged(unscheduled), ExpiringView.CONTEXTS)));
            long users = eventBytes(tree(ExpiringAnswer.of(ExpiringAnswerTest.unchanged(segment), ExpiringView.USERS)))
                    - eventBytes(tree(ExpiringAnswer.of(ExpiringAnswerTest.unchanged(unscheduled), ExpiringView.USERS)));
            long slack = 30L * segment.schedules().size() + 1;
            assertTrue(users <= contexts && contexts <= footprint.scheduled() && footprint.scheduled() - contexts <= slack,
                    "expiring items " + contexts + " (users " + users + "), counted " + footprint.scheduled());
        }
    }

    /** An entry of {@code errors} adds its message and little else: the core's reserve per failure holds it. */
    @Test
    void aFailedInstructionAddsItsMessageAndItsEntry() {
        SegmentKey key = new SegmentKey("p".repeat(256), "e".repeat(256), "s".repeat(256));
        Segment segment = new Segment(key, "S", null, List.of(), 1L, 1L, Long.MAX_VALUE, Set.of(), Map.of());
        String message = "User \"" + "\u0001".repeat(SegmentLimits.MAX_TARGET_KEY_BYTES) + "\" is not in the segment's included list.";
        long entry = eventBytes(tree(ExpiringAnswer.patched(ExpiringAnswerTest.unchanged(segment), ExpiringView.CONTEXTS, SegmentLimits.MAX_INSTRUCTIONS,
                List.of(new InstructionError(SegmentLimits.MAX_INSTRUCTIONS - 1, message)))))
                - eventBytes(tree(ExpiringAnswer.patched(ExpiringAnswerTest.unchanged(segment), ExpiringView.CONTEXTS, SegmentLimits.MAX_INSTRUCTIONS, List.of())));
        assertTrue(entry - AnswerSize.of(message) <= SegmentLimits.MAX_ERROR_BYTES - SegmentLimits.MAX_MESSAGE_BYTES,
                entry + " bytes for a message of " + AnswerSize.of(message));
    }
}
