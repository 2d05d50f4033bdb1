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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP/1.1 served on loopback for the test stand-ins ({@link HttpMessages}): kept-alive
 * connections, one thread each, so that a handler may block (the Runtime API's long poll, a
 * store request held by {@link StoreProxy}). A handler either answers a request with a
 * {@link Response} ({@link #answering}) or is given the connection to answer on, break or end
 * ({@link Exchange}, for faults).
 *
 * <p>The Runtime API stand-in uses it rather than the JDK's HTTP server because of how a
 * response event is read. Lambda
 * bills an invocation until its Runtime API has the response, so the stand-in's reading is part
 * of every duration the harness measures. The JDK's server reads a body 8 KB at a time through a
 * heap buffer: a 4.5 MB response event posted by a JVM took a median of 5.8 ms to arrive there,
 * 3.3 ms read into one array of its length, as Lambda's own runtime API emulator (Go,
 * {@code io.ReadAll}) reads it whole.
 */
final class LoopbackHttpServer implements AutoCloseable {

    /** Answers a request with a response; the connection is kept unless the request asks to close it. */
    interface Handler {
        Response handle(Request request) throws Exception;
    }

    /** Handles a request on its connection; false if the connection must end. */
    interface Exchange {
        boolean handle(Request request, Socket socket, OutputStream out) throws IOException, InterruptedException;
    }

    /** Request heads are a few hundred bytes; bodies larger than this are read around the buffer. */
    private static final int BUFFER = 64 * 1024;

    private final ServerSocket listener;
    private final String name;
    private final Exchange exchange;
    private final Map<Socket, Thread> open = new ConcurrentHashMap<>();

    /** Serving on a free port, on threads named after {@code name}. */
    LoopbackHttpServer(String name, Exchange exchange) throws IOException {
        this.name = name;
        this.exchange = exchange;
        listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The exchange that writes {@code handler}'s response (500 if it throws). */
    static Exchange answering(Handler handler) {
        return (request, socket, out) -> {
            Response response;
            try {
                response = handler.handle(request);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                response = Response.of(500, String.valueOf(e));
            }
            HttpMessages.write(out, response);
            return !"close".equalsIgnoreCase(request.header("connection"));
        };
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket socket = listener.accept();
                Thread connection = new Thread(() -> serve(socket), name);
                connection.setDaemon(true);
                open.put(socket, connection);
                connection.start();
            }
        } catch (IOException closed) {
            // the server is closing
        }
    }

    /** One client connection: requests one after another until it closes or the exchange ends it. */
    private void serve(Socket socket) {
        try (socket) {
            // Without it, the small writes of a request or response meet Nagle's algorithm and
            // delayed ACKs: about 40 ms added to every exchange.
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), BUFFER);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
            Request request;
            while ((request = HttpMessages.read(in, out)) != null) {
                if (!exchange.handle(request, socket, out)) {
                    return;
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // The client went away, the server is closing, or the client sent what this server
            // does not read: the connection ends.
        } finally {
            open.remove(socket);
        }
    }

    /** Stops accepting, closes every connection and interrupts its thread (a handler blocked in it). */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing
        }
        open.forEach((socket, thread) -> {
            try {
                socket.close();
            } catch (IOException e) {
                // closing
            }
            thread.interrupt();
        });
    }
}
