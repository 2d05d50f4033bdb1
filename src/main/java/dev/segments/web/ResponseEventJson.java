package dev.segments.web;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes a {@link BytesBodyResponse}'s body into the response event's JSON from its bytes. The
 * Lambda poll loop serializes the response event with a copy of the application's
 * {@link ObjectMapper} ({@code AmazonLambdaMapperRecorder}), so this customizer reaches it; left
 * to Jackson, a 4 MB body String is escaped one {@code charAt} at a time, which a native image
 * does not make cheap (perf: a third of a 15,000-user PATCH's CPU). Only the {@code body}
 * property changes, so the event's JSON is byte for byte what Jackson writes for the same body
 * as a String ({@link JsonStringBytes}); a generator that would escape differently, and bytes that
 * are not well-formed UTF-8, go Jackson's way.
 */
@Singleton
class ResponseEventJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule(ResponseEventJson.class.getName()).setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription bean,
                    List<BeanPropertyWriter> properties) {
                if (APIGatewayV2HTTPResponse.class.isAssignableFrom(bean.getBeanClass())) {
                    properties.replaceAll(property -> property.getName().equals("body") ? new BodyWriter(property) : property);
                }
                return properties;
            }
        }));
    }

    /** The {@code body} property, written from the bytes when there are some. */
    static final class BodyWriter extends BeanPropertyWriter {

        /**
         * This thread's buffer for a body escaped here, used again: in a native image each new
         * array of megabytes comes from fresh memory, and its page faults cost as much CPU as the
         * escaping (perf). It holds on to as much as the largest such body.
         */
        private static final ThreadLocal<byte[]> BUFFER = new ThreadLocal<>();
        /** Room for the event's JSON after the body: the other properties, whatever their order. */
        private static final int AFTER_BODY = 16 * 1024;

        BodyWriter(BeanPropertyWriter body) {
            super(body);
        }

        @Override
        public void serializeAsField(Object bean, JsonGenerator generator, SerializerProvider provider) throws Exception {
            if (!(bean instanceof BytesBodyResponse response && response.length() > 0 && escapesAsJackson(generator))) {
                super.serializeAsField(bean, generator, provider);
                return;
            }
            List<ByteBuffer> body = escapedBody(response);
            if (body == null) {
                super.serializeAsField(bean, generator, provider);
                return;
            }
            generator.writeFieldName(_name);
            generator.writeRawValue("\"");
            generator.flush();
            // Straight to the stream, into room made for the whole event at once.
            OutputStream out = (OutputStream) generator.getOutputTarget();
            if (out instanceof ByteArrayOutputStream buffered) {
                EventBuffer.reserve(buffered, body.stream().mapToLong(ByteBuffer::remaining).sum() + AFTER_BODY);
            }
            for (ByteBuffer part : body) {
                out.write(part.array(), part.arrayOffset() + part.position(), part.remaining());
            }
            generator.writeRaw('"');
        }

        /**
         * The body escaped, in parts: those it was given with, or its bytes escaped into this
         * thread's buffer; null if they are not well-formed UTF-8.
         */
        private static List<ByteBuffer> escapedBody(BytesBodyResponse response) {
            if (!response.escaped().isEmpty()) {
                return response.escaped();
            }
            ByteBuffer bytes = response.bytes();
            JsonStringBytes.Escaped escaped = JsonStringBytes.escape(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining(),
                    BUFFER.get());
            if (escaped == null) {
                return null;
            }
            BUFFER.set(escaped.bytes());
            return List.of(ByteBuffer.wrap(escaped.bytes(), 0, escaped.length()));
        }

        /** A UTF-8 byte generator with Jackson's default escapes, which {@link JsonStringBytes} reproduces. */
        private static boolean escapesAsJackson(JsonGenerator generator) {
            return generator.getOutputTarget() instanceof OutputStream && generator.getCharacterEscapes() == null
                    && generator.getHighestEscapedChar() == 0;
        }
    }
}
