package dev.segments.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.testing.LambdaRuntime.Answer;
import dev.segments.testing.LambdaRuntime.Failure;
import dev.segments.testing.LambdaRuntime.InvocationFailed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Runtime API stand-in holds a function to Lambda's limits: a response over 6,291,556 bytes
 * fails the invocation (and the function hears 413), an invocation past its timeout fails and
 * the environment is told to replace the process, and an init error or a handler error fails
 * as such. The "function" here is a thread speaking the Runtime API over HTTP.
 */
class LambdaRuntimeTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aResponseOverTheCapFailsTheInvocationAndOneAtTheCapGoesThrough() throws Exception {
        try (LambdaRuntime runtime = new LambdaRuntime()) {
            CompletableFuture<Integer> overCap = answerNext(runtime, "response", payload(LambdaRuntime.MAX_RESPONSE_BYTES + 1));
            InvocationFailed failed = assertThrows(InvocationFailed.class, () -> runtime.send("GET", "/x", Map.of(), null, 10));
            assertEquals(Failure.RESPONSE_TOO_LARGE, failed.failure());
            assertEquals(413, overCap.get(10, TimeUnit.SECONDS));

            CompletableFuture<Integer> atCap = answerNext(runtime, "response", payload(LambdaRuntime.MAX_RESPONSE_BYTES));
            Answer answer = runtime.send("GET", "/x", Map.of(), null, 10);
            assertEquals(LambdaRuntime.MAX_RESPONSE_BYTES, answer.payloadBytes());
            assertEquals(200, answer.response().get("statusCode").asInt());
            assertEquals(202, atCap.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void anInvocationPastItsTimeoutFailsAndTheProcessIsToBeReplaced() throws Exception {
        List<InvocationFailed> told = new CopyOnWriteArrayList<>();
        try (LambdaRuntime runtime = new LambdaRuntime(Duration.ofMillis(500), told::add)) {
            CompletableFuture<HttpResponse<String>> taken = poll(runtime);
            long started = System.nanoTime();
            InvocationFailed failed = assertThrows(InvocationFailed.class, () -> runtime.send("GET", "/slow", Map.of(), null, 10));
            assertEquals(Failure.TIMED_OUT, failed.failure());
            assertTrue(System.nanoTime() - started >= 450_000_000L, "failed before its deadline");
            long deadline = Long.parseLong(taken.get().headers().firstValue("Lambda-Runtime-Deadline-Ms").orElseThrow());
            assertTrue(deadline - System.currentTimeMillis() < 1_000, "the deadline header states the timeout");
            assertEquals(1, told.size());
            // A late answer from the timed-out function changes nothing.
            String id = taken.get().headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
            assertEquals(202, post(runtime, "/2018-06-01/runtime/invocation/" + id + "/response", payload(100)));
        }
    }

    @Test
    void initAndHandlerErrorsFailAsSuch() throws Exception {
        try (LambdaRuntime runtime = new LambdaRuntime()) {
            CompletableFuture<Void> ready = runtime.expectPoll();
            post(runtime, "/2018-06-01/runtime/init/error", "{\"errorMessage\":\"no table\",\"errorType\":\"InitError\"}");
            ExecutionException init = assertThrows(ExecutionException.class, () -> ready.get(10, TimeUnit.SECONDS));
            assertEquals(Failure.INIT_FAILED, ((InvocationFailed) init.getCause()).failure());

            answerNext(runtime, "error", "{\"errorMessage\":\"boom\",\"errorType\":\"RuntimeException\"}");
            InvocationFailed failed = assertThrows(InvocationFailed.class, () -> runtime.send("GET", "/x", Map.of(), null, 10));
            assertEquals(Failure.FUNCTION_ERROR, failed.failure());
            assertTrue(failed.getMessage().contains("boom"));
        }
    }

    /** Takes the next event and answers it at /response or /error; completes with the status the runtime gave. */
    private static CompletableFuture<Integer> answerNext(LambdaRuntime runtime, String endpoint, String body) {
        return poll(runtime).thenApply(event -> {
            String id = event.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
            try {
                return post(runtime, "/2018-06-01/runtime/invocation/" + id + "/" + endpoint, body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static CompletableFuture<HttpResponse<String>> poll(LambdaRuntime runtime) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://" + runtime.address() + "/2018-06-01/runtime/invocation/next"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int post(LambdaRuntime runtime, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + runtime.address() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** An API Gateway response event of exactly {@code bytes} bytes. */
    private static String payload(int bytes) {
        String head = "{\"statusCode\":200,\"body\":\"";
        String tail = "\"}";
        String text = head + "x".repeat(bytes - head.length() - tail.length()) + tail;
        assertEquals(bytes, text.getBytes(StandardCharsets.UTF_8).length);
        return text;
    }
}
