package dev.segments.segment.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segments.segment.Revision;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentPatches.InstructionError;
import dev.segments.web.JsonAnswer;
import dev.segments.web.JsonStringBytes;
import dev.segments.web.Links;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The answers of the expiring-targets views (LaunchDarkly's representation), as JSON bytes of
 * exact size: the items, which {@link KeptItems} keeps encoded and in order between answers so
 * that a segment's 15,000 schedules are neither sorted nor encoded again when one changed, set
 * into the rest of the answer (its links and, for a PATCH, how the instructions went), which is
 * written anew each time. The answer is whole before it is sent, with its length (a streamed
 * body of unknown length never completes through the Lambda HTTP adapter), and goes to the
 * response event through {@link dev.segments.web.WholeAnswers}. Its gzip form, for callers that
 * accept it, is assembled from the items' groups deflated earlier ({@link GzipItems}).
 */
final class ExpiringAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] ITEMS = "{\"items\":[".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuffer ESCAPED_ITEMS = escaped(ITEMS, 0, ITEMS.length);
    private static final KeptItems KEPT = new KeptItems(KeptItems.DEFAULT_LIMIT, ItemEncoder.JSON);

    private ExpiringAnswer() {
    }

    /** GET of an expiring-targets view: every schedule it shows, in date then key order. */
    static JsonAnswer of(Revision revision, ExpiringView view) {
        return answer(revision, view, frame(revision.segment().key(), view, null, List.of()));
    }

    /** PATCH of an expiring-targets view: the schedules after the change, and how each instruction went. */
    static JsonAnswer patched(Revision revision, ExpiringView view, int total, List<InstructionError> errors) {
        return answer(revision, view, frame(revision.segment().key(), view, total, errors));
    }

    /** The frame with the items in its (empty) items array; its gzip form from the kept deflated groups. */
    private static JsonAnswer answer(Revision revision, ExpiringView view, byte[] frame) {
        ExpiringItems items = KEPT.items(revision, view);
        SegmentKey key = revision.segment().key();
        // In parts, not copied into one array: the response event takes the escaped form, gzip its own.
        List<ByteBuffer> plain = framed(ByteBuffer.wrap(frame, 0, ITEMS.length), items.bytes(),
                ByteBuffer.wrap(frame, ITEMS.length, frame.length - ITEMS.length));
        List<ByteBuffer> escaped = framed(ESCAPED_ITEMS.duplicate(), items.escaped(), escaped(frame, ITEMS.length, frame.length - ITEMS.length));
        ByteBuf answer = Unpooled.wrappedBuffer(plain.toArray(new ByteBuffer[0]));
        return new JsonAnswer(answer, escaped, () -> KEPT.gzip(key, view, items).answer(frame, ITEMS.length));
    }

    private static List<ByteBuffer> framed(ByteBuffer head, List<ByteBuffer> items, ByteBuffer tail) {
        List<ByteBuffer> parts = new ArrayList<>(items.size() + 2);
        parts.add(head);
        parts.addAll(items);
        parts.add(tail);
        return parts;
    }

    private static ByteBuffer escaped(byte[] bytes, int offset, int length) {
        JsonStringBytes.Escaped escaped = JsonStringBytes.escape(bytes, offset, length, null);
        return ByteBuffer.wrap(escaped.bytes(), 0, escaped.length());
    }

    /** The answer with no items, written as it would be with them; {@code total} is null for a GET. */
    private static byte[] frame(SegmentKey key, ExpiringView view, Integer total, List<InstructionError> errors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("items");
            json.writeEndArray();
            json.writeFieldName("_links");
            json.writeTree(Links.of("self", view.path(key), "parent", SegmentJson.segmentPath(key)));
            if (total != null) {
                json.writeNumberField("totalInstructions", total);
                json.writeNumberField("successfulInstructions", total - errors.size());
                json.writeNumberField("failedInstructions", errors.size());
                json.writeArrayFieldStart("errors");
                for (InstructionError error : errors) {
                    json.writeStartObject();
                    json.writeNumberField("instructionIndex", error.instructionIndex());
                    json.writeStringField("message", error.message());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] frame = out.toByteArray();
        if (!Arrays.equals(frame, 0, ITEMS.length, ITEMS, 0, ITEMS.length)) {
            throw new IllegalStateException("an expiring-targets answer must start with its items");
        }
        return frame;
    }
}
