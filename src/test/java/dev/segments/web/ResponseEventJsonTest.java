package dev.segments.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializer;
import dev.segments.testing.Dynalite;
import io.quarkus.amazon.lambda.runtime.AmazonLambdaMapperRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Lambda poll loop's own writer ({@code AmazonLambdaMapperRecorder}'s mapper, as the poll
 * loop takes it for the handler's output type) writes a body held as bytes with
 * {@link ResponseEventJson}'s writer, and the event's JSON is byte for byte what it writes for
 * the same body as a String.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class ResponseEventJsonTest {

    private static ObjectWriter pollLoopWriter() {
        return AmazonLambdaMapperRecorder.objectMapper.writerFor(APIGatewayV2HTTPResponse.class);
    }

    @Test
    void thePollLoopsWriterWritesTheBodyFromItsBytes() throws Exception {
        var serializer = AmazonLambdaMapperRecorder.objectMapper.getSerializerProviderInstance()
                .findValueSerializer(APIGatewayV2HTTPResponse.class);
        BeanPropertyWriter body = null;
        for (var properties = assertInstanceOf(BeanSerializer.class, serializer).properties(); properties.hasNext();) {
            var property = properties.next();
            if (property.getName().equals("body")) {
                body = (BeanPropertyWriter) property;
            }
        }
        assertInstanceOf(ResponseEventJson.BodyWriter.class, body);
    }

    @Test
    void theEventIsWhatTheBodyAsAStringGives() throws Exception {
        for (String body : JsonStringBytesTest.bodies()) {
            byte[] utf8 = body.getBytes(StandardCharsets.UTF_8);
            for (boolean base64 : List.of(false, true)) {
                assertSameEvent(utf8, base64);
            }
        }
        for (String malformed : List.of("eda080", "41c3", "ff", "c080")) {
            assertSameEvent(HexFormat.of().parseHex(malformed), false);
        }
    }

    /** A body given escaped is not escaped again: its parts are what the event carries. */
    @Test
    void anEscapedBodyGoesInAsItsParts() throws Exception {
        APIGatewayV2HTTPResponse plain = new APIGatewayV2HTTPResponse(200, Map.of(), null, null, "{\"a\":1}", false);
        byte[] utf8 = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        BytesBodyResponse bytes = new BytesBodyResponse(plain, new JsonAnswer(Unpooled.wrappedBuffer(utf8),
                List.of(ByteBuffer.wrap("{\\\"a\\\":".getBytes(StandardCharsets.US_ASCII)), ByteBuffer.wrap("2}".getBytes(StandardCharsets.US_ASCII))),
                null));
        String event = new String(pollLoopWriter().writeValueAsBytes(bytes), StandardCharsets.UTF_8);
        assertTrue(event.contains("\"body\":\"{\\\"a\\\":2}\""), event);
    }

    /**
     * The runtime API connection buffers the event in a new ByteArrayOutputStream each time. A
     * body of 1.1 MB in parts (groups of items with a comma between each two, then a PATCH's frame
     * end of hundreds of bytes) goes into an array of little more than the event, the same array
     * for the next event: in a native image a new one would be fresh memory, page faults and all
     * ({@link EventBuffer}). Needs java.io open, as the build's test JVM has it.
     */
    @Test
    void eventsGoIntoOneArrayOfLittleMoreThanAnEvent() throws Exception {
        byte[] group = "{\\\"a\\\":1},".repeat(400).getBytes(StandardCharsets.US_ASCII);
        byte[] end = ("],\\\"_links\\\":" + "x".repeat(600) + "}").getBytes(StandardCharsets.US_ASCII);
        List<ByteBuffer> parts = new ArrayList<>(List.of(ByteBuffer.wrap("{\\\"items\\\":[".getBytes(StandardCharsets.US_ASCII))));
        for (int i = 0; i < 275; i++) {
            parts.add(ByteBuffer.wrap(group, 0, group.length - 1));
            parts.add(ByteBuffer.wrap(new byte[] {','}));
        }
        parts.add(ByteBuffer.wrap(end));
        APIGatewayV2HTTPResponse plain = new APIGatewayV2HTTPResponse(200, Map.of("Content-Type", "application/json"), null, null, "", false);
        BytesBodyResponse bytes = new BytesBodyResponse(plain, new JsonAnswer(Unpooled.wrappedBuffer(new byte[] {'x'}), parts, null));
        byte[] expected = pollLoopWriter().writeValueAsBytes(bytes);
        byte[] first = null;
        for (int event = 0; event < 2; event++) {
            Buffer buffer = new Buffer();
            pollLoopWriter().writeValue(buffer, bytes);
            assertArrayEquals(expected, buffer.toByteArray());
            assertTrue(buffer.array().length < buffer.size() * 11 / 10, buffer.array().length + " bytes of array for " + buffer.size());
            if (first == null) {
                first = buffer.array();
            } else {
                assertTrue(buffer.array() == first, "the second event went into an array of its own");
            }
        }
    }

    /** A ByteArrayOutputStream, as the connection's, that shows its array. */
    private static final class Buffer extends ByteArrayOutputStream {
        byte[] array() {
            return buf;
        }
    }

    /** The event for {@code utf8} as a {@link BytesBodyResponse} (from an offset) and as the String it decodes to. */
    private static void assertSameEvent(byte[] utf8, boolean base64) throws Exception {
        APIGatewayV2HTTPResponse plain = new APIGatewayV2HTTPResponse(200, Map.of("Content-Type", "application/json"), null, null,
                new String(utf8, StandardCharsets.UTF_8), base64);
        byte[] padded = new byte[utf8.length + 5];
        System.arraycopy(utf8, 0, padded, 2, utf8.length);
        BytesBodyResponse bytes = new BytesBodyResponse(plain, Unpooled.wrappedBuffer(padded, 2, utf8.length), base64);
        String expected = new String(pollLoopWriter().writeValueAsBytes(plain), StandardCharsets.UTF_8);
        assertEquals(expected, new String(pollLoopWriter().writeValueAsBytes(bytes), StandardCharsets.UTF_8));
        int cut = utf8.length / 2;
        BytesBodyResponse joined = new BytesBodyResponse(plain,
                Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(utf8, 0, cut), Unpooled.wrappedBuffer(utf8, cut, utf8.length - cut)), base64);
        assertEquals(expected, new String(pollLoopWriter().writeValueAsBytes(joined), StandardCharsets.UTF_8), "a body in parts");
        JsonStringBytes.Escaped escaped = JsonStringBytes.escape(utf8, 0, utf8.length, null);
        if (escaped != null && !base64) {
            // A text body given escaped, in parts cut anywhere, goes into the event as it was given.
            int third = escaped.length() / 3;
            BytesBodyResponse parts = new BytesBodyResponse(plain, new JsonAnswer(Unpooled.wrappedBuffer(padded, 2, utf8.length),
                    List.of(ByteBuffer.wrap(escaped.bytes(), 0, third), ByteBuffer.wrap(escaped.bytes(), third, escaped.length() - third)), null));
            assertEquals(expected, new String(pollLoopWriter().writeValueAsBytes(parts), StandardCharsets.UTF_8));
        }
    }
}
