package dev.segments.bench;

import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.segmentWithUsers;

import com.sun.net.httpserver.HttpServer;
import dev.segments.dynamo.RequestCounter;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import dev.segments.testing.SweeperOff;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Big segments against small ones, in one run (issue 16): a one-schedule PATCH and the GET of
 * every schedule on a 10-user segment and on a 15,000-user one, every user scheduled; the
 * DynamoDB requests and bytes of each warm PATCH; and the bytes the JVM allocates for one big
 * PATCH, summed over all its threads (the request is served on threads of this JVM). Prints
 * figures and ratios; asserts nothing about them.
 */
@QuarkusTest
@Tag("benchmark")
@QuarkusTestResource(Dynalite.class)
@TestProfile(SweeperOff.class)
class BigSegmentBenchmark {

    static final int SAMPLES = 40;
    static final long FUTURE = System.currentTimeMillis() + 30L * 86_400_000L;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    final List<String> rows = new ArrayList<>();

    @Test
    void table() throws Exception {
        Fixture small = scheduled(10, "s");
        Fixture big = scheduled(15_000, "b");

        double patchSmall = median(() -> toggle(small, "s3"));
        double patchBig = median(() -> toggle(big, "b7"));
        double getSmall = median(() -> send(HttpRequest.newBuilder(uri(small.expiringPath())).GET()));
        double getBig = median(() -> send(HttpRequest.newBuilder(uri(big.expiringPath())).GET()));
        byte[] bigBody = send(HttpRequest.newBuilder(uri(big.expiringPath())).GET()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        double transfer = transferTime(bigBody);
        row("PATCH of one schedule, 10-user segment, median", ms(patchSmall), "");
        row("PATCH of one schedule, 15,000-user segment, median", ms(patchBig), "");
        row("PATCH ratio (15,000 / 10)", ratio(patchBig / patchSmall), "target <= 3");
        row("GET of every schedule, 10-user segment, median", ms(getSmall), "");
        row("GET of every schedule, 15,000-user segment, median", ms(getBig), String.format("%,d bytes", bigBody.length));
        row("transfer of those bytes alone (same HTTP client, JDK server on this host), median", ms(transfer), "");
        row("GET ratio (15,000 / (10 + transfer))", ratio(getBig / (getSmall + transfer)), "target <= 3");

        requests("10-user segment", small, "s3");
        requests("15,000-user segment", big, "b7");

        // The client discards the answers, so that what is counted is the service's (and the event server's) work.
        int n = 20;
        Map<String, Long> allocated = allocated(() -> {
            for (int i = 0; i < n; i++) {
                discard(toggleRequest(big, "b7"));
            }
        });
        row("bytes allocated per PATCH, 15,000-user segment, all threads of the JVM (answer discarded by the client)",
                String.format("%,d", allocated.values().stream().mapToLong(Long::longValue).sum() / n), perRequest(allocated, n));
        Map<String, Long> allocatedGet = allocated(() -> {
            for (int i = 0; i < n; i++) {
                discard(HttpRequest.newBuilder(uri(big.expiringPath())).GET());
            }
        });
        row("bytes allocated per GET, 15,000-user segment, likewise", String.format("%,d",
                allocatedGet.values().stream().mapToLong(Long::longValue).sum() / n), perRequest(allocatedGet, n));

        System.out.println("\nBENCHMARK big segments (dynalite in memory, " + Runtime.getRuntime().availableProcessors() + " cores)");
        System.out.println("| measure | value | note |\n|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println();
    }

    /** DynamoDB requests and bytes read and written per warm PATCH, averaged over 20. */
    private void requests(String what, Fixture f, String user) {
        int n = 20;
        Map<String, Long> before = RequestCounter.requests();
        Map<String, Long> readBefore = RequestCounter.responseBytes();
        Map<String, Long> writtenBefore = RequestCounter.bytes();
        for (int i = 0; i < n; i++) {
            toggle(f, user);
        }
        Map<String, Long> requests = RequestCounter.since(before, RequestCounter.requests());
        long read = total(RequestCounter.since(readBefore, RequestCounter.responseBytes()));
        long written = total(RequestCounter.since(writtenBefore, RequestCounter.bytes()));
        Map<String, String> perPatch = new HashMap<>();
        requests.forEach((operation, count) -> perPatch.put(operation, ratio((double) count / n)));
        row("DynamoDB requests per PATCH, " + what, ratio((double) total(requests) / n), perPatch.toString());
        row("bytes received from / sent to DynamoDB per PATCH, " + what, String.format("%,d / %,d", read / n, written / n), "");
    }

    /** A segment of {@code count} users, every one of them scheduled for removal. */
    private static Fixture scheduled(int count, String prefix) {
        Fixture f = segmentWithUsers();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add(prefix + i);
        }
        for (int from = 0; from < count; from += 1500) {
            admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(), "instructions",
                    List.of(Map.of("kind", "addIncludedUsers", "values", users.subList(from, Math.min(count, from + 1500))))))
                    .patch(f.segmentPath()).then().statusCode(200);
        }
        for (int from = 0; from < count; from += 250) {
            Object[] instructions = users.subList(from, Math.min(count, from + 250)).stream().map(u -> Api.add(u, FUTURE)).toArray();
            send(HttpRequest.newBuilder(uri(f.expiringPath())).header("Content-Type", Api.SEMANTIC_PATCH)
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(json(instructions))));
        }
        return f;
    }

    private static String json(Object[] instructions) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("instructions", instructions));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private final Map<String, Boolean> later = new HashMap<>();

    /** A PATCH that always changes the segment: the user's removal is cancelled, or scheduled again. */
    private void toggle(Fixture f, String user) {
        String body = send(toggleRequest(f, user));
        if (!body.contains("\"failedInstructions\":0")) {
            throw new AssertionError("the timed PATCH failed: " + body.substring(0, Math.min(300, body.length())));
        }
    }

    private HttpRequest.Builder toggleRequest(Fixture f, String user) {
        boolean cancel = later.merge(f.segment() + "/" + user, true, (a, b) -> !a);
        String instruction = cancel
                ? "{\"kind\":\"removeExpireUserTargetDate\",\"targetType\":\"included\",\"userKey\":\"" + user + "\"}"
                : "{\"kind\":\"addExpireUserTargetDate\",\"targetType\":\"included\",\"userKey\":\"" + user
                        + "\",\"value\":" + FUTURE + "}";
        return HttpRequest.newBuilder(uri(f.expiringPath())).header("Content-Type", Api.SEMANTIC_PATCH)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"instructions\":[" + instruction + "]}"));
    }

    private static void discard(HttpRequest.Builder request) {
        try {
            HttpResponse<Void> response = HTTP.send(request.header("Authorization", Api.ADMIN).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new AssertionError("status " + response.statusCode());
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How long the same client takes to fetch {@code body} from a server that only sends it. */
    private static double transferTime(byte[] body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            return median(() -> {
                try {
                    HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            server.stop(0);
        }
    }

    /**
     * Bytes allocated while {@code work} runs, by thread group: the threads' names without
     * their numbers. The function's own are the Lambda poll loop ("Lambda Thread") and the
     * threads that run the resources ("executor-thread"); the test-mode event server that
     * stands in for Lambda's Runtime API runs on the event loops ("vert.x-eventloop-thread"),
     * the client on "HttpClient-...".
     */
    private static Map<String, Long> allocated(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] before = threads.getThreadAllocatedBytes(ids);
        work.run();
        long[] after = threads.getThreadAllocatedBytes(ids);
        Map<String, Long> byGroup = new java.util.TreeMap<>();
        for (int i = 0; i < ids.length; i++) {
            java.lang.management.ThreadInfo info = threads.getThreadInfo(ids[i]);
            if (info != null && before[i] >= 0 && after[i] >= 0) {
                byGroup.merge(info.getThreadName().replaceAll("[-\\s]*\\d+\\)?$", "").replaceAll("\\d+", "N"), after[i] - before[i], Long::sum);
            }
        }
        byGroup.values().removeIf(bytes -> bytes < 100_000);
        return byGroup;
    }

    private static String perRequest(Map<String, Long> byGroup, int n) {
        StringBuilder out = new StringBuilder();
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(group ->
                out.append(out.length() == 0 ? "" : "; ").append(group.getKey()).append(' ').append(String.format("%,d", group.getValue() / n)));
        return out.toString();
    }

    private static URI uri(String path) {
        return PerformanceBenchmark.uri(path);
    }

    private static String send(HttpRequest.Builder request) {
        return PerformanceBenchmark.send(request);
    }

    private static double median(Runnable call) {
        for (int i = 0; i < 10; i++) {
            call.run();
        }
        long[] times = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long t = System.nanoTime();
            call.run();
            times[i] = System.nanoTime() - t;
        }
        Arrays.sort(times);
        return times[SAMPLES / 2];
    }

    private static String ms(double nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }

    private static String ratio(double value) {
        return String.format("%.2f", value);
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private void row(String measure, Object value, String note) {
        rows.add("| " + measure + " | " + value + " | " + note + " |");
    }
}
