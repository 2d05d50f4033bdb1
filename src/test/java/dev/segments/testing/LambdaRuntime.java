package dev.segments.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for AWS Lambda's Runtime API on loopback: the packaged function (JVM or native)
 * polls it for events exactly as it polls Lambda, so a benchmark drives the same Lambda HTTP
 * path as production. Each call becomes an API Gateway HTTP API (payload v2) event.
 *
 * <p>When a test kills the function, {@link #crashed} fails the invocations it had taken, as
 * Lambda reports an invocation whose runtime died, and keeps events that a dead process's
 * pending poll would take for the next process.
 */
public final class LambdaRuntime implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NEXT = "/2018-06-01/runtime/invocation/next";

    private record Invocation(String id, String event, CompletableFuture<JsonNode> response) {
    }

    private final HttpServer server;
    private final LinkedBlockingDeque<Invocation> queue = new LinkedBlockingDeque<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    /** The function's timeout: each invocation's deadline is this long after it is handed out. */
    private volatile long timeoutMillis = 900_000;
    /** Counts the function processes that died; a poll begun before a death hands nothing out. */
    private final AtomicInteger deaths = new AtomicInteger();

    public LambdaRuntime() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/2018-06-01/runtime/", this::handle);
        server.start();
    }

    /** The value for AWS_LAMBDA_RUNTIME_API. */
    /**
     * The environment a packaged function needs to poll this runtime and use a local store, as
     * the template gives it when deployed; {@code ratePerMinute} 0 turns rate limiting off.
     */
    public void configure(Map<String, String> env, String table, String storeEndpoint, String adminToken, int ratePerMinute) {
        env.put("AWS_LAMBDA_RUNTIME_API", address());
        env.put("SEGMENTS_TABLE", table);
        env.put("BOOTSTRAP_ADMIN_TOKEN", adminToken);
        env.put("RATE_LIMIT_PER_MINUTE", Integer.toString(ratePerMinute));
        env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", storeEndpoint);
        env.put("QUARKUS_DYNAMODB_AWS_REGION", "us-east-1");
        env.put("QUARKUS_DYNAMODB_AWS_CREDENTIALS_TYPE", "static");
        env.put("QUARKUS_DYNAMODB_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID", "local");
        env.put("QUARKUS_DYNAMODB_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY", "local");
    }

    /** Sets the function's timeout, which the deadline of each invocation follows (Lambda's longest, 900 s, by default). */
    public void timeout(Duration timeout) {
        timeoutMillis = timeout.toMillis();
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Sends one HTTP request through the function and waits for its answer. */
    public JsonNode call(String method, String path, String token, String contentType, String body) throws Exception {
        return call(method, path, token, contentType, body, 120);
    }

    /**
     * Sends one HTTP request through the function and waits at most {@code timeoutSeconds} for
     * its answer: API Gateway's response event ({@code statusCode}, {@code headers}, {@code body}).
     * Fails if the function died while handling it, or timed out.
     */
    public JsonNode call(String method, String path, String token, String contentType, String body, int timeoutSeconds)
            throws Exception {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        ObjectNode headers = event.putObject("headers");
        headers.put("authorization", token);
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        ObjectNode context = event.putObject("requestContext");
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        http.put("userAgent", "benchmark");
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("timeEpoch", System.currentTimeMillis());
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), JSON.writeValueAsString(event), new CompletableFuture<>());
        queue.add(invocation);
        return invocation.response().get(timeoutSeconds, TimeUnit.SECONDS);
    }

    /**
     * The function process died: the invocations it had taken fail, and a poll it left open
     * hands out nothing. Returns how many invocations were in flight.
     */
    public int crashed() {
        deaths.incrementAndGet();
        int lost = 0;
        for (String id : inFlight.keySet()) {
            Invocation invocation = inFlight.remove(id);
            if (invocation != null) {
                invocation.response().completeExceptionally(new IllegalStateException("the function process died during the invocation"));
                lost++;
            }
        }
        return lost;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try {
            if (path.equals(NEXT)) {
                int generation = deaths.get();
                Invocation next = queue.take();
                if (generation != deaths.get()) {
                    // Polled by a process that has died since: keep the event for the next one.
                    queue.addFirst(next);
                    reply(exchange, 500, "");
                    return;
                }
                inFlight.put(next.id(), next);
                exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", next.id());
                exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + timeoutMillis));
                exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:benchmark");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                reply(exchange, 200, next.event());
                return;
            }
            String[] parts = path.split("/");
            // /2018-06-01/runtime/invocation/{id}/response or /error
            Invocation done = inFlight.remove(parts[4]);
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (done != null) {
                if (parts[5].equals("response")) {
                    done.response().complete(JSON.readTree(body));
                } else {
                    done.response().completeExceptionally(new IllegalStateException(new String(body, StandardCharsets.UTF_8)));
                }
            }
            reply(exchange, 202, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(exchange, 500, "");
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
