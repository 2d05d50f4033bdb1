package dev.segments.web;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses answers with gzip for callers that send {@code Accept-Encoding: gzip}, in the
 * Lambda response event itself: the one place every answer passes through in the shape API
 * Gateway receives it, deployed and locally alike (the local event server runs the same
 * handler). Quarkus' own HTTP compression cannot do it: it lives in Netty's pipeline, which
 * the Lambda adapter bypasses, and the adapter passes a JSON body on as text (it decides text
 * or base64 by Content-Type alone), which would mangle compressed bytes. So a compressed body
 * goes out base64-encoded with {@code isBase64Encoded}, which API Gateway turns back into
 * binary, and with {@code Content-Encoding: gzip}.
 */
@Decorator
@Priority(1)
abstract class GzipResponses implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /**
     * Bodies under this many bytes go out as they are: a small JSON answer (an error, one
     * schedule) shrinks by a few hundred bytes at most, gzip's header and trailer take 18 of
     * them, and base64 in the event adds a third back; it already fits one TCP segment.
     */
    static final int THRESHOLD = 1024;

    /**
     * The fastest level: on 15,000 schedules (3.7 MB of JSON) it gives 14.2% of the size in
     * 28 ms of one core, against 13.0% in 50 ms at the default level 6. The function has a
     * fraction of a core and pays for its time; the bytes saved beyond level 1 are few.
     */
    private static final int LEVEL = Deflater.BEST_SPEED;

    @Inject
    @Delegate
    @Any
    RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);
        if (response != null && acceptsGzip(EventHeaders.get(event.getHeaders(), "accept-encoding"))) {
            return compress(response);
        }
        return response;
    }

    /**
     * The response with its body in gzip form (base64 text, kept as bytes), unless the body is
     * small or already encoded: then the response as it is. An answer that brings its own gzip
     * form (the expiring-targets lists, assembled from groups deflated earlier) is not compressed again.
     */
    static APIGatewayV2HTTPResponse compress(APIGatewayV2HTTPResponse response) {
        if (EventHeaders.get(response.getHeaders(), "content-encoding") != null) {
            return response;
        }
        byte[] gzipped;
        if (response instanceof BytesBodyResponse own && own.gzip() != null) {
            // Its plain bytes are not needed, so an answer given in parts is never joined.
            if (own.length() < THRESHOLD) {
                return response;
            }
            gzipped = own.gzip().get();
        } else {
            ByteBuffer plain = plain(response);
            if (plain == null || plain.remaining() < THRESHOLD) {
                return response;
            }
            gzipped = gzip(plain);
        }
        Map<String, String> headers = EventHeaders.without(response.getHeaders(), Set.of("content-length", "vary"));
        String vary = EventHeaders.get(response.getHeaders(), "vary");
        headers.put("Vary", vary == null || vary.isBlank() ? "Accept-Encoding" : vary + ", Accept-Encoding");
        headers.put("Content-Encoding", "gzip");
        headers.put("Content-Length", Integer.toString(gzipped.length));
        response.setHeaders(headers);
        byte[] base64 = Base64.getEncoder().encode(gzipped);
        return new BytesBodyResponse(response, Unpooled.wrappedBuffer(base64), true);
    }

    /** The body's bytes as the caller would receive them, or null without a body. */
    private static ByteBuffer plain(APIGatewayV2HTTPResponse response) {
        if (response instanceof BytesBodyResponse bytes && bytes.length() > 0 && !bytes.getIsBase64Encoded()) {
            return bytes.bytes();
        }
        String body = response.getBody();
        if (body == null) {
            return null;
        }
        return ByteBuffer.wrap(response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether an {@code Accept-Encoding} value allows gzip (RFC 9110, 12.5.3): {@code gzip}
     * (or {@code x-gzip}) with a weight above 0, or else {@code *} with a weight above 0.
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Double gzip = null;
        Double any = null;
        for (String element : acceptEncoding.split(",")) {
            String[] parts = element.split(";");
            String coding = parts[0].strip().toLowerCase(Locale.ROOT);
            double weight = 1;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    try {
                        weight = Double.parseDouble(parameter.substring(2).strip());
                    } catch (NumberFormatException malformed) {
                        weight = 0;
                    }
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = weight;
            } else if (coding.equals("*")) {
                any = weight;
            }
        }
        return gzip != null ? gzip > 0 : any != null && any > 0;
    }

    /** Sized for JSON at {@link #LEVEL} (15,000 schedules: 14.2%), so that the buffer seldom grows. */
    private static byte[] gzip(ByteBuffer plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, plain.remaining() / 6));
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024) {
            {
                def.setLevel(LEVEL);
            }
        }) {
            gzip.write(plain.array(), plain.arrayOffset() + plain.position(), plain.remaining());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
