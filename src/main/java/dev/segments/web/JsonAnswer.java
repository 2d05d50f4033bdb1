package dev.segments.web;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A whole JSON answer ({@link WholeAnswers#ok}), and the same answer escaped for a JSON string
 * in parts ({@link JsonStringBytes}), when its maker holds most of it escaped already: the
 * response event then carries those parts as they are.
 */
public record JsonAnswer(ByteBuf body, List<ByteBuffer> escaped) {

    public JsonAnswer {
        escaped = List.copyOf(escaped);
    }
}
