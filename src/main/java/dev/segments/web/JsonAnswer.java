package dev.segments.web;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * A whole JSON answer ({@link WholeAnswers#ok}) with what its maker can give for less than
 * working it out from the bytes: the same answer escaped for a JSON string, in parts
 * ({@link JsonStringBytes}; none if not), which the response event then carries as they are;
 * and its gzip form (a gzip member of exactly these bytes; null if not), made only for a caller
 * that accepts gzip ({@link GzipResponses}).
 */
public record JsonAnswer(ByteBuf body, List<ByteBuffer> escaped, Supplier<byte[]> gzip) {

    public JsonAnswer {
        escaped = List.copyOf(escaped);
    }
}
