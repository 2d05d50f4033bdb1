package dev.segments.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP/1.1 a Lambda runtime client speaks to the Runtime API, served on loopback: requests
 * with a Content-Length or chunked body (answering {@code Expect: 100-continue}), kept alive,
 * one thread per connection, so that a poll may block in its handler as Lambda's long poll does.
 *
 * <p>Its own rather than the JDK's HTTP server because of how a response event is read. Lambda
 * bills an invocation until its Runtime API has the response, so the stand-in's reading is part
 * of every duration the harness measures. The JDK's server reads a body 8 KB at a time through a
 * heap buffer: a 4.5 MB response event posted by a JVM took a median of 5.8 ms to arrive there,
 * 3.3 ms here, where a body is read into one array of its length in as few reads as the socket
 * allows, as Lambda's own runtime API emulator (Go, {@code io.ReadAll}) reads it.
 */
final class LoopbackHttpServer implements AutoCloseable {

    /** A request as the handler sees it: header names in lower case. */
    record Request(String method, String path, Map<String, String> headers, byte[] body) {
    }

    /** A response: status, headers (Content-Length is added) and body. */
    record Response(int status, Map<String, String> headers, byte[] body) {

        static Response of(int status, String body) {
            return new Response(status, Map.of(), body.getBytes(StandardCharsets.UTF_8));
        }
    }

    interface Handler {
        Response handle(Request request) throws Exception;
    }

    /** Request heads are a few hundred bytes; a head that does not fit is refused. */
    private static final int HEAD_ROOM = 64 * 1024;

    private final ServerSocketChannel listener;
    private final int port;
    private final Handler handler;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

    LoopbackHttpServer(Handler handler) throws IOException {
        this.handler = handler;
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        Thread acceptor = new Thread(this::accept, "runtime-api-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return port;
    }

    private void accept() {
        try {
            while (true) {
                SocketChannel channel = listener.accept();
                // Without it, the small writes of a request or response meet Nagle's algorithm and
                // delayed ACKs: about 40 ms added to every invocation.
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                open.add(channel);
                Thread connection = new Thread(() -> serve(channel), "runtime-api-connection");
                connection.setDaemon(true);
                connection.start();
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(SocketChannel channel) {
        ByteBuffer in = ByteBuffer.allocate(HEAD_ROOM);
        try (channel) {
            while (true) {
                Head head = readHead(channel, in);
                if (head == null) {
                    return;
                }
                if ("100-continue".equalsIgnoreCase(head.headers.get("expect"))) {
                    write(channel, "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                byte[] body = readBody(channel, in, head.headers);
                Response response;
                try {
                    response = handler.handle(new Request(head.method, head.path, head.headers, body));
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    response = Response.of(500, String.valueOf(e));
                }
                respond(channel, response);
                if ("close".equalsIgnoreCase(head.headers.get("connection"))) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client went away, or sent what this server does not read: the connection ends.
        } finally {
            open.remove(channel);
        }
    }

    private record Head(String method, String path, Map<String, String> headers) {
    }

    /** The next request's head, leaving {@code in} holding the bytes after it; null at a clean end of the connection. */
    private static Head readHead(SocketChannel channel, ByteBuffer in) throws IOException {
        int end;
        while ((end = headEnd(in)) < 0) {
            if (!in.hasRemaining()) {
                throw new IOException("request head over " + HEAD_ROOM + " bytes");
            }
            if (channel.read(in) < 0) {
                if (in.position() == 0) {
                    return null;
                }
                throw new EOFException("connection closed in a request head");
            }
        }
        String[] lines = new String(in.array(), 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        consume(in, end + 4);
        String target = requestLine[1];
        int query = target.indexOf('?');
        return new Head(requestLine[0], query < 0 ? target : target.substring(0, query), headers);
    }

    /** Where the head in {@code in} ends (before its blank line), or -1. */
    private static int headEnd(ByteBuffer in) {
        byte[] bytes = in.array();
        for (int i = 3; i < in.position(); i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i - 3;
            }
        }
        return -1;
    }

    /** Drops the first {@code n} bytes of {@code in}, keeping the rest for the next read. */
    private static void consume(ByteBuffer in, int n) {
        in.flip().position(n);
        in.compact();
    }

    private static byte[] readBody(SocketChannel channel, ByteBuffer in, Map<String, String> headers) throws IOException {
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return readChunked(channel, in);
        }
        String length = headers.get("content-length");
        return length == null ? new byte[0] : readExactly(channel, in, Integer.parseInt(length));
    }

    /** {@code n} bytes: those {@code in} holds first, the rest read straight into the array. */
    private static byte[] readExactly(SocketChannel channel, ByteBuffer in, int n) throws IOException {
        byte[] body = new byte[n];
        int held = Math.min(n, in.position());
        System.arraycopy(in.array(), 0, body, 0, held);
        consume(in, held);
        ByteBuffer rest = ByteBuffer.wrap(body, held, n - held);
        while (rest.hasRemaining()) {
            if (channel.read(rest) < 0) {
                throw new EOFException("connection closed in a request body");
            }
        }
        return body;
    }

    private static byte[] readChunked(SocketChannel channel, ByteBuffer in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(channel, in);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!readLine(channel, in).isEmpty()) {
                    // trailers, ignored
                }
                return body.toByteArray();
            }
            body.writeBytes(readExactly(channel, in, size));
            readLine(channel, in);
        }
    }

    private static String readLine(SocketChannel channel, ByteBuffer in) throws IOException {
        while (true) {
            byte[] bytes = in.array();
            for (int i = 1; i < in.position(); i++) {
                if (bytes[i] == '\n' && bytes[i - 1] == '\r') {
                    String line = new String(bytes, 0, i - 1, StandardCharsets.ISO_8859_1);
                    consume(in, i + 1);
                    return line;
                }
            }
            if (!in.hasRemaining() || channel.read(in) < 0) {
                throw new EOFException("no line ending in a chunked body");
            }
        }
    }

    private static void respond(SocketChannel channel, Response response) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status()).append(' ').append(reason(response.status())).append("\r\n");
        response.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(response.body().length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] whole = new byte[headBytes.length + response.body().length];
        System.arraycopy(headBytes, 0, whole, 0, headBytes.length);
        System.arraycopy(response.body(), 0, whole, headBytes.length, response.body().length);
        write(channel, whole);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 413 -> "Request Entity Too Large";
            default -> "Status";
        };
    }

    private static void write(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing
        }
        for (SocketChannel channel : open) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
