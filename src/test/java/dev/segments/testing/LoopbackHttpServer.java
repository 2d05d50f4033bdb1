package dev.segments.testing;

import dev.segments.testing.HttpMessages.Request;
import dev.segments.testing.HttpMessages.Response;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP/1.1 a Lambda runtime client speaks to the Runtime API, served on loopback
 * ({@link HttpMessages}): kept-alive connections, one thread each, so that a poll may block in
 * its handler as Lambda's long poll does.
 *
 * <p>Its own rather than the JDK's HTTP server because of how a response event is read. Lambda
 * bills an invocation until its Runtime API has the response, so the stand-in's reading is part
 * of every duration the harness measures. The JDK's server reads a body 8 KB at a time through a
 * heap buffer: a 4.5 MB response event posted by a JVM took a median of 5.8 ms to arrive there,
 * 3.3 ms read into one array of its length, as Lambda's own runtime API emulator (Go,
 * {@code io.ReadAll}) reads it whole.
 */
final class LoopbackHttpServer implements AutoCloseable {

    interface Handler {
        Response handle(Request request) throws Exception;
    }

    /** Request heads are a few hundred bytes; bodies larger than this are read around the buffer. */
    private static final int BUFFER = 64 * 1024;

    private final ServerSocket listener;
    private final Handler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    LoopbackHttpServer(Handler handler) throws IOException {
        this.handler = handler;
        listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "runtime-api-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket socket = listener.accept();
                open.add(socket);
                Thread connection = new Thread(() -> serve(socket), "runtime-api-connection");
                connection.setDaemon(true);
                connection.start();
            }
        } catch (IOException closed) {
            // the server is closing
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            // Without it, the small writes of a request or response meet Nagle's algorithm and
            // delayed ACKs: about 40 ms added to every invocation.
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), BUFFER);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
            Request request;
            while ((request = HttpMessages.read(in, out)) != null) {
                Response response;
                try {
                    response = handler.handle(request);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    response = Response.of(500, String.valueOf(e));
                }
                HttpMessages.write(out, response);
                if ("close".equalsIgnoreCase(request.header("connection"))) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client went away, or sent what this server does not read: the connection ends.
        } finally {
            open.remove(socket);
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
