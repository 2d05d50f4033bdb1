package dev.segments.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.testing.HttpMessages.Request;
import dev.segments.testing.HttpMessages.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stand-in for AWS Lambda's Runtime API on loopback: the packaged function (JVM or native)
 * polls it for events exactly as it polls Lambda, so a test drives the same Lambda HTTP path
 * as production. Each call becomes an API Gateway HTTP API (payload v2) event. It serves the
 * Runtime API's HTTP with {@link LoopbackHttpServer}, which reads a response as fast as the
 * socket gives it: the duration of an invocation ends when its response has been read.
 *
 * <p>It holds the function to Lambda's limits: a response payload over
 * {@link #MAX_RESPONSE_BYTES} fails the invocation (API Gateway then answers 500), and with a
 * timeout, an invocation still running at its deadline fails and the listener given is told,
 * so that the process can be replaced as Lambda replaces it. Each failure is an
 * {@link InvocationFailed} naming its {@link Failure}.
 *
 * <p>When a test kills the function, {@link #crashed} fails the invocations it had taken, as
 * Lambda reports an invocation whose runtime died, and keeps events that a dead process's
 * pending poll would take for the next process.
 */
public final class LambdaRuntime implements AutoCloseable {

    /** Lambda's limit on a synchronous invocation's response payload (6 MB and 100 bytes). */
    public static final int MAX_RESPONSE_BYTES = 6_291_556;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NEXT = "/2018-06-01/runtime/invocation/next";
    private static final String INIT_ERROR = "/2018-06-01/runtime/init/error";
    private static final String INVOCATION = "/2018-06-01/runtime/invocation/";
    /** Lambda's longest timeout, for runtimes made without one. */
    private static final Duration LONGEST = Duration.ofMinutes(15);

    /** What went wrong with an invocation, as Lambda would tell it apart. */
    public enum Failure {
        /** The function ran past its timeout; Lambda stops the process. */
        TIMED_OUT,
        /** The response payload was over {@link #MAX_RESPONSE_BYTES}; the caller gets API Gateway's bare 500. */
        RESPONSE_TOO_LARGE,
        /** The process was killed for passing its memory size. */
        OUT_OF_MEMORY,
        /** The process ended during the invocation for another reason. */
        PROCESS_DIED,
        /** The function did not start: it reported an init error or passed Lambda's 10 s init limit. */
        INIT_FAILED,
        /** The function reported the invocation as failed (its handler threw). */
        FUNCTION_ERROR
    }

    /** An invocation that failed as Lambda would fail it. */
    public static final class InvocationFailed extends RuntimeException {
        private final Failure failure;

        public InvocationFailed(Failure failure, String message) {
            super(failure + ": " + message);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    /**
     * The function's answer: API Gateway's response event, how long the function took from
     * taking the event to posting its response (what Lambda bills), and the payload's size.
     */
    public record Answer(JsonNode response, long durationNanos, int payloadBytes) {
    }

    private static final class Invocation {
        final String id = UUID.randomUUID().toString();
        final String event;
        final CompletableFuture<Answer> answer = new CompletableFuture<>();
        volatile long takenAt;

        Invocation(String event) {
            this.event = event;
        }
    }

    private final LoopbackHttpServer server;
    private final Duration timeout;
    private final Consumer<InvocationFailed> onTimeout;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "lambda-runtime-deadlines");
        thread.setDaemon(true);
        return thread;
    });
    private final LinkedBlockingDeque<Invocation> queue = new LinkedBlockingDeque<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    /** Counts the function processes that died; a poll begun before a death hands nothing out. */
    private final AtomicInteger deaths = new AtomicInteger();
    /** Completed by the next poll, or failed by an init error: see {@link #expectPoll}. */
    private volatile CompletableFuture<Void> polled = new CompletableFuture<>();

    /** Without a function timeout beyond Lambda's longest (15 minutes). */
    public LambdaRuntime() throws IOException {
        this(LONGEST, failure -> { });
    }

    /**
     * With the function's timeout: an invocation still running at its deadline fails with
     * {@link Failure#TIMED_OUT}, and {@code onTimeout} is told so that it can stop the process.
     */
    public LambdaRuntime(Duration timeout, Consumer<InvocationFailed> onTimeout) throws IOException {
        this.timeout = timeout;
        this.onTimeout = onTimeout;
        server = new LoopbackHttpServer("runtime-api", LoopbackHttpServer.answering(this::handle));
    }

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

    /** The value for AWS_LAMBDA_RUNTIME_API. */
    public String address() {
        return "127.0.0.1:" + server.port();
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
        Map<String, String> headers = new java.util.HashMap<>();
        headers.put("authorization", token);
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        return send(method, path, headers, body, timeoutSeconds).response();
    }

    /** One HTTP request with these headers (names in lower case, as API Gateway passes them) through the function. */
    public Answer send(String method, String path, Map<String, String> headers, String body, int timeoutSeconds) throws Exception {
        ObjectNode event = LambdaEvents.requestWithHeaders(method, path, headers, "127.0.0.1");
        if (body != null) {
            event.put("body", body);
        }
        return invoke(JSON.writeValueAsString(event), timeoutSeconds);
    }

    /**
     * Invokes the function with a raw event (e.g. the schedule's sweep event) and waits at most
     * {@code timeoutSeconds} for its answer. Throws {@link InvocationFailed} for an invocation
     * Lambda would fail.
     */
    public Answer invoke(String event, int timeoutSeconds) throws Exception {
        Invocation invocation = new Invocation(event);
        queue.add(invocation);
        try {
            return invocation.answer.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvocationFailed failed) {
                throw failed;
            }
            throw e;
        }
    }

    /**
     * A future that the function's next poll for an event completes (it has finished its init),
     * or that fails with {@link Failure#INIT_FAILED} if it reports an init error. Call it before
     * starting the process.
     */
    public CompletableFuture<Void> expectPoll() {
        CompletableFuture<Void> next = new CompletableFuture<>();
        polled = next;
        return next;
    }

    /**
     * The function process died: the invocations it had taken fail, and a poll it left open
     * hands out nothing. Returns how many invocations were in flight.
     */
    public int crashed() {
        return crashed(new InvocationFailed(Failure.PROCESS_DIED, "the function process died during the invocation"));
    }

    /** As {@link #crashed()}, failing the invocations in flight with this failure. */
    public int crashed(InvocationFailed failure) {
        deaths.incrementAndGet();
        int lost = 0;
        for (String id : inFlight.keySet()) {
            Invocation invocation = inFlight.remove(id);
            if (invocation != null) {
                invocation.answer.completeExceptionally(failure);
                lost++;
            }
        }
        return lost;
    }

    private Response handle(Request request) throws InterruptedException {
        String path = request.path();
        if (path.equals(NEXT)) {
            int generation = deaths.get();
            polled.complete(null);
            Invocation next = queue.take();
            if (generation != deaths.get()) {
                // Polled by a process that has died since: keep the event for the next one.
                queue.addFirst(next);
                return Response.of(500, "");
            }
            inFlight.put(next.id, next);
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            next.takenAt = System.nanoTime();
            deadlines.schedule(() -> timedOut(next), timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Response(200, Map.of("Lambda-Runtime-Aws-Request-Id", List.of(next.id),
                    "Lambda-Runtime-Deadline-Ms", List.of(Long.toString(deadline)),
                    "Lambda-Runtime-Invoked-Function-Arn", List.of("arn:aws:lambda:us-east-1:000000000000:function:benchmark"),
                    "Content-Type", List.of("application/json")), next.event.getBytes(StandardCharsets.UTF_8));
        }
        byte[] body = request.body();
        if (path.equals(INIT_ERROR)) {
            polled.completeExceptionally(new InvocationFailed(Failure.INIT_FAILED, new String(body, StandardCharsets.UTF_8)));
            return Response.of(202, "");
        }
        if (!path.startsWith(INVOCATION)) {
            return Response.of(404, "");
        }
        // /2018-06-01/runtime/invocation/{id}/response or /error
        String[] parts = path.split("/");
        Invocation done = inFlight.remove(parts[4]);
        if (done != null) {
            long duration = System.nanoTime() - done.takenAt;
            if (!parts[5].equals("response")) {
                done.answer.completeExceptionally(new InvocationFailed(Failure.FUNCTION_ERROR, new String(body, StandardCharsets.UTF_8)));
            } else if (body.length > MAX_RESPONSE_BYTES) {
                done.answer.completeExceptionally(new InvocationFailed(Failure.RESPONSE_TOO_LARGE, "the response payload is "
                        + body.length + " bytes; Lambda's limit is " + MAX_RESPONSE_BYTES));
                return Response.of(413, "{\"errorMessage\":\"Exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES
                        + " bytes).\",\"errorType\":\"RequestEntityTooLarge\"}");
            } else {
                try {
                    done.answer.complete(new Answer(JSON.readTree(body), duration, body.length));
                } catch (IOException e) {
                    done.answer.completeExceptionally(e);
                }
            }
        }
        return Response.of(202, "");
    }

    /** The process is stopped before the caller hears of the timeout, so that its next invocation finds none running. */
    private void timedOut(Invocation invocation) {
        if (inFlight.remove(invocation.id, invocation)) {
            InvocationFailed failure = new InvocationFailed(Failure.TIMED_OUT,
                    "the function ran past its timeout of " + timeout.toMillis() / 1000.0 + " s");
            try {
                onTimeout.accept(failure);
            } finally {
                invocation.answer.completeExceptionally(failure);
            }
        }
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        server.close();
    }
}
