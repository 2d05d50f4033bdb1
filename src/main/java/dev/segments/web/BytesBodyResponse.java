package dev.segments.web;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
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

    private byte[] bytes;
    private int offset;
    private int length;
    private List<ByteBuffer> escaped = List.of();
    private Supplier<byte[]> gzip;

    /** {@code response}'s status and headers with this body ({@code base64} text, or not). */
    BytesBodyResponse(APIGatewayV2HTTPResponse response, byte[] bytes, int offset, int length, boolean base64) {
        super(response.getStatusCode(), response.getHeaders(), response.getMultiValueHeaders(), response.getCookies(), null, base64);
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    /** {@code response}'s status and headers with this text body, given with its escaped and gzip forms as {@link JsonAnswer} has them. */
    BytesBodyResponse(APIGatewayV2HTTPResponse response, byte[] bytes, int offset, int length, JsonAnswer answer) {
        this(response, bytes, offset, length, false);
        this.escaped = answer.escaped();
        this.gzip = answer.gzip();
    }

    /** What gives the body's gzip form, or null: then it is compressed as any other. */
    Supplier<byte[]> gzip() {
        return gzip;
    }

    /** The body's bytes (none, {@link #length()} 0, once a String body replaced them). */
    byte[] bytes() {
        return bytes;
    }

    int offset() {
        return offset;
    }

    int length() {
        return length;
    }

    /** The body escaped for a JSON string, in parts, or none: then it is escaped from {@link #bytes()}. */
    List<ByteBuffer> escaped() {
        return escaped;
    }


    @Override
    public String getBody() {
        return bytes == null ? super.getBody() : new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    @Override
    public void setBody(String body) {
        bytes = null;
        offset = 0;
        length = 0;
        escaped = List.of();
        gzip = null;
        super.setBody(body);
    }
}
