package dev.segments.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.testing.HttpMessages.Request;
import dev.segments.testing.HttpMessages.Response;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The Runtime API stand-in's HTTP: bodies as Lambda's runtime clients send them (Quarkus' poll
 * loop through HttpURLConnection, AWS's runtime interface client through curl, which may send
 * chunked bodies and {@code Expect: 100-continue}) arrive whole, over one kept-alive connection.
 */
class LoopbackHttpServerTest {

    private final List<Request> received = new CopyOnWriteArrayList<>();

    private Response echoLength(Request request) {
        received.add(request);
        return new Response(202, Map.of("X-Length", List.of(Integer.toString(request.body().length))), new byte[0]);
    }

    @Test
    void aResponseEventOfMegabytesArrivesWholeFromHttpUrlConnection() throws Exception {
        byte[] event = new byte[5_000_000];
        new Random(7).nextBytes(event);
        try (LoopbackHttpServer server = new LoopbackHttpServer("test", LoopbackHttpServer.answering(this::echoLength))) {
            for (int i = 0; i < 2; i++) {
                HttpURLConnection post = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.port()
                        + "/2018-06-01/runtime/invocation/abc/response").toURL().openConnection();
                post.setDoOutput(true);
                post.setRequestMethod("POST");
                try (OutputStream out = post.getOutputStream()) {
                    out.write(event);
                }
                assertEquals(202, post.getResponseCode());
                assertEquals("5000000", post.getHeaderField("X-Length"));
                post.getInputStream().readAllBytes();
            }
        }
        assertEquals(2, received.size());
        assertEquals("/2018-06-01/runtime/invocation/abc/response", received.get(0).path());
        assertArrayEquals(event, received.get(1).body());
    }

    @Test
    void aChunkedBodyAfterAContinueAndTheNextRequestOnTheSameConnection() throws Exception {
        try (LoopbackHttpServer server = new LoopbackHttpServer("test", LoopbackHttpServer.answering(this::echoLength));
                Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /2018-06-01/runtime/invocation/a/error HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", read(in, "\r\n\r\n"));
            out.write("5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write("POST /next HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answers = read(in, "X-Length: 12\r\nContent-Length: 0\r\n\r\n") + read(in, "X-Length: 3\r\nContent-Length: 0\r\n\r\n");
            assertEquals(2, answers.split("HTTP/1.1 202 Accepted").length - 1, answers);
        }
        assertEquals("hello, world", new String(received.get(0).body(), StandardCharsets.US_ASCII));
        assertEquals("chunked", received.get(0).header("transfer-encoding"));
        assertEquals("abc", new String(received.get(1).body(), StandardCharsets.US_ASCII));
    }

    /** The stream's bytes up to and including {@code end}. */
    private static String read(InputStream in, String end) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (!bytes.toString(StandardCharsets.US_ASCII).endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IllegalStateException("closed after: " + bytes.toString(StandardCharsets.US_ASCII));
            }
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
