package dev.segments.web;

import io.netty.buffer.ByteBuf;
import java.util.function.Supplier;

/**
 * A whole JSON answer ({@link WholeAnswers#ok}) and, when its maker can give its gzip form for
 * less than compressing it whole, that form (a gzip member of exactly these bytes), made only
 * for a caller that accepts gzip ({@link GzipResponses}).
 */
public record JsonAnswer(ByteBuf body, Supplier<byte[]> gzip) {
}
