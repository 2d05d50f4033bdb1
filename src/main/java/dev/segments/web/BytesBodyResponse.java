package dev.segments.web;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * A response event whose body is held as its UTF-8 bytes, not as a String: the event's JSON
 * gets them escaped straight from the bytes ({@link ResponseEventJson}), so a large answer is
 * never decoded into chars and encoded back. Anyone who asks for {@link #getBody()} still gets
 * the String, decoded then.
 */
final class BytesBodyResponse extends APIGatewayV2HTTPResponse {

    private ByteBuf body;
    private List<ByteBuffer> escaped = List.of();
    private Supplier<byte[]> gzip;

    /** {@code response}'s status and headers with this body ({@code base64} text, or not). */
    BytesBodyResponse(APIGatewayV2HTTPResponse response, ByteBuf body, boolean base64) {
        super(response.getStatusCode(), response.getHeaders(), response.getMultiValueHeaders(), response.getCookies(), null, base64);
        this.body = body;
    }

    /** {@code response}'s status and headers with this text body, given with its escaped and gzip forms as {@link JsonAnswer} has them. */
    BytesBodyResponse(APIGatewayV2HTTPResponse response, JsonAnswer answer) {
        this(response, answer.body(), false);
        this.escaped = answer.escaped();
        this.gzip = answer.gzip();
    }

    /** What gives the body's gzip form, or null: then it is compressed as any other. */
    Supplier<byte[]> gzip() {
        return gzip;
    }

    /** The body's length in bytes: 0 once a String body replaced them. */
    int length() {
        return body == null ? 0 : body.readableBytes();
    }

    /**
     * The body's bytes in an array (none once a String body replaced them). An answer given in
     * parts, with its escaped and gzip forms, is only joined here, for whoever needs it whole.
     */
    ByteBuffer bytes() {
        if (body == null) {
            return null;
        }
        if (!body.hasArray()) {
            body = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(body));
        }
        return ByteBuffer.wrap(body.array(), body.arrayOffset() + body.readerIndex(), body.readableBytes());
    }

    /** The body escaped for a JSON string, in parts, or none: then it is escaped from {@link #bytes()}. */
    List<ByteBuffer> escaped() {
        return escaped;
    }

    @Override
    public String getBody() {
        return body == null ? super.getBody() : body.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void setBody(String body) {
        this.body = null;
        escaped = List.of();
        gzip = null;
        super.setBody(body);
    }
}
