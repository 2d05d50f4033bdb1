package dev.segments.segment.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentPatches.InstructionError;
import dev.segments.web.Links;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The answers of the expiring-targets views (LaunchDarkly's representation), written as JSON
 * bytes in one pass: a segment's 15,000 schedules go out one after another, with no tree of
 * nodes built first, and the part every item repeats (the segment it belongs to) is encoded
 * once per answer. The answer is whole before it is sent, with its length (a streamed body of
 * unknown length never completes through the Lambda HTTP adapter), and goes to the response
 * event through {@link dev.segments.web.WholeAnswers}.
 */
final class ExpiringAnswer {

    private static final JsonFactory JSON = new ObjectMapper().getFactory();

    private final Segment segment;
    private final ExpiringView view;
    private final Outcome outcome;

    /** How a PATCH's instructions went; null for a GET. */
    private record Outcome(int total, List<InstructionError> errors) {
    }

    private ExpiringAnswer(Segment segment, ExpiringView view, Outcome outcome) {
        this.segment = segment;
        this.view = view;
        this.outcome = outcome;
    }

    /** GET of an expiring-targets view: every schedule it shows, in date then key order. */
    static ByteBuf of(Segment segment, ExpiringView view) {
        return new ExpiringAnswer(segment, view, null).body();
    }

    /** PATCH of an expiring-targets view: the schedules after the change, and how each instruction went. */
    static ByteBuf patched(Segment segment, ExpiringView view, int total, List<InstructionError> errors) {
        return new ExpiringAnswer(segment, view, new Outcome(total, errors)).body();
    }

    /** The answer, in a buffer sized for about 240 bytes a schedule so that it rarely grows. */
    private ByteBuf body() {
        ByteBuf bytes = Unpooled.buffer(512 + 256 * segment.schedules().size());
        try (OutputStream out = new ByteBufOutputStream(bytes)) {
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    private void write(OutputStream out) throws IOException {
        SegmentKey key = segment.key();
        String resource = resourceId(key);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeArrayFieldStart("items");
            for (ExpiringTarget schedule : segment.expiringTargets()) {
                if (view.shows(schedule)) {
                    json.writeStartObject();
                    json.writeStringField("_id", schedule.id());
                    json.writeNumberField("_version", schedule.version());
                    json.writeNumberField("expirationDate", schedule.expirationDate());
                    view.identify(json, schedule);
                    json.writeStringField("targetType", schedule.target().type().wire());
                    json.writeFieldName("_resourceId");
                    json.writeRawValue(resource);
                    json.writeEndObject();
                }
            }
            json.writeEndArray();
            json.writeFieldName("_links");
            json.writeTree(Links.of("self", view.path(key), "parent", SegmentJson.segmentPath(key)));
            if (outcome != null) {
                json.writeNumberField("totalInstructions", outcome.total());
                json.writeNumberField("successfulInstructions", outcome.total() - outcome.errors().size());
                json.writeNumberField("failedInstructions", outcome.errors().size());
                json.writeArrayFieldStart("errors");
                for (InstructionError error : outcome.errors()) {
                    json.writeStartObject();
                    json.writeNumberField("instructionIndex", error.instructionIndex());
                    json.writeStringField("message", error.message());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
    }

    /** The {@code _resourceId} every item of the segment carries, encoded once. */
    private static String resourceId(SegmentKey key) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("kind", "segment");
            json.writeStringField("projectKey", key.projectKey());
            json.writeStringField("environmentKey", key.environmentKey());
            json.writeStringField("key", key.key());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
