package dev.segments.segment.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.SegmentKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Expiring-targets items in LaunchDarkly's representation, written with Jackson in one pass.
 * The part every item repeats (the segment it belongs to) is encoded once per call.
 */
final class JsonItems implements ItemEncoder {

    private static final JsonFactory JSON = new ObjectMapper().getFactory();

    @Override
    public Encoded encode(SegmentKey segment, ExpiringView view, List<ExpiringTarget> schedules) {
        String resource = resourceId(segment);
        Buffer out = new Buffer(2 + 256 * schedules.size());
        int[] ends = new int[schedules.size()];
        // Written as one array, so that Jackson places the commas; each item's end is read off
        // the generator's buffer without flushing it. The brackets are dropped below.
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartArray();
            for (int i = 0; i < ends.length; i++) {
                ExpiringTarget schedule = schedules.get(i);
                json.writeStartObject();
                json.writeStringField("_id", schedule.id());
                json.writeNumberField("_version", schedule.version());
                json.writeNumberField("expirationDate", schedule.expirationDate());
                view.identify(json, schedule);
                json.writeStringField("targetType", schedule.target().type().wire());
                json.writeFieldName("_resourceId");
                json.writeRawValue(resource);
                json.writeEndObject();
                ends[i] = out.size() + json.getOutputBuffered() - 1;
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Encoded(out.between(1, out.size() - 1), ends);
    }

    /** The {@code _resourceId} every item of the segment carries. */
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

    /** A byte stream whose bytes can be sliced without copying them all first. */
    private static final class Buffer extends ByteArrayOutputStream {

        Buffer(int size) {
            super(size);
        }

        byte[] between(int from, int to) {
            return Arrays.copyOfRange(buf, from, to);
        }
    }
}
