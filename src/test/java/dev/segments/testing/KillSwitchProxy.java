package dev.segments.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP proxy between the function and dynalite that can kill the function at an exact
 * point of a write: armed with a DynamoDB operation, it runs the kill as soon as the next
 * request of that operation arrives, before forwarding it. So a test can crash the function
 * after its chunks are written but before its head is (PutItem), after its head is written but
 * before superseded chunks are retired (UpdateItem), and so on, instead of hoping a random
 * kill lands there.
 */
public final class KillSwitchProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    private record Armed(String operation, Runnable kill, CountDownLatch done) {
    }

    private final HttpServer server;
    private final String target;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<Armed> armed = new AtomicReference<>();

    public KillSwitchProxy(String targetEndpoint) throws IOException {
        this.target = targetEndpoint;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Runs {@code kill} when the next request of {@code operation} (e.g. {@code PutItem})
     * arrives, instead of forwarding it. True if that happened within the timeout.
     */
    public boolean killAt(String operation, Runnable kill, long timeoutMillis) throws InterruptedException {
        Armed a = new Armed(operation, kill, new CountDownLatch(1));
        armed.set(a);
        boolean fired = a.done().await(timeoutMillis, TimeUnit.MILLISECONDS);
        armed.compareAndSet(a, null);
        return fired;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = amzTarget == null ? "" : amzTarget.substring(amzTarget.indexOf('.') + 1);
            Armed a = armed.get();
            if (a != null && a.operation().equals(operation) && armed.compareAndSet(a, null)) {
                a.kill().run();
                a.done().countDown();
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
        } catch (IOException e) {
            exchange.sendResponseHeaders(502, -1);
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
