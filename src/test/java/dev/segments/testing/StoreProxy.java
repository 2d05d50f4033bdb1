package dev.segments.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.testing.HttpMessages.Request;
import dev.segments.testing.HttpMessages.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

/**
 * An HTTP proxy between the service and dynalite that makes dynalite behave as DynamoDB does
 * when AWS runs it. dynalite never loses an answer, never throttles and never returns a partial
 * batch; DynamoDB does all three, and the service must tell "applied, answer lost" from "not
 * applied" by reading. At a chosen rate, or at a chosen call, the proxy:
 * <ul>
 * <li>applies a request and then drops the answer (the connection closes), resets the
 * connection, or answers 500 ({@link Fault#ANSWER_DROPPED}, {@link Fault#CONNECTION_RESET},
 * {@link Fault#APPLIED_THEN_SERVER_ERROR});</li>
 * <li>answers {@code ProvisionedThroughputExceededException}, {@code ThrottlingException} or a
 * 500 without applying the request;</li>
 * <li>applies part of a {@code BatchGetItem} or {@code BatchWriteItem} and hands the rest back
 * as {@code UnprocessedKeys} or {@code UnprocessedItems}, as DynamoDB does: a read processes at
 * least one key (a read of one key goes through whole), a write may hand back every item.</li>
 * </ul>
 * It can also hold the next request of an operation until the test releases it (a write in
 * flight), and kill the function at an exact point of a write: armed with an operation, it runs
 * the kill as soon as the next request of that operation arrives, before forwarding it.
 *
 * <p>It speaks plain HTTP/1.1 over sockets of its own, so that it can close or reset a
 * connection the way a network does. The SDK signs requests, but dynalite does not check
 * signatures, so a batch the proxy shortens still goes through.
 *
 * <p>Every request (or part of a batch) it lets through reaches the store through
 * {@link #forward}, which a proxy that watches the traffic overrides ({@link DynamoMeter}).
 */
public class StoreProxy implements AutoCloseable {

    /** What the proxy can do to one request. */
    public enum Fault {
        /** Applied, then the connection closed before any answer. */
        ANSWER_DROPPED(true),
        /** Applied, then the connection reset (TCP RST). */
        CONNECTION_RESET(true),
        /** Applied, then answered 500 InternalServerError, which DynamoDB can do too. */
        APPLIED_THEN_SERVER_ERROR(true),
        /** Not applied: 400 ProvisionedThroughputExceededException. */
        PROVISIONED_THROUGHPUT_EXCEEDED(false),
        /** Not applied: 400 ThrottlingException. */
        THROTTLING(false),
        /** Not applied: 500 InternalServerError. */
        SERVER_ERROR(false),
        /** BatchGetItem / BatchWriteItem only: part applied, the rest handed back unprocessed. */
        PARTIAL_BATCH(true);

        private final boolean applies;

        Fault(boolean applies) {
            this.applies = applies;
        }

        /** Whether the request (or part of it) reaches the store. */
        public boolean applies() {
            return applies;
        }

        boolean fits(String operation) {
            return this != PARTIAL_BATCH || BATCHES.contains(operation);
        }
    }

    /** The next request of an operation, held until released, as a write still in flight. */
    public static final class Hold {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        /** True once the held request has arrived (within the timeout). */
        public boolean awaitArrival(long timeoutMillis) throws InterruptedException {
            return arrived.await(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        /** Lets the held request through to the store. */
        public void release() {
            released.countDown();
        }
    }

    private record Armed(String operation, Runnable kill, CountDownLatch done) {
    }

    private record RandomFaults(double rate, Set<String> operations, Set<Fault> kinds) {
    }

    private static final Set<String> BATCHES = Set.of("BatchGetItem", "BatchWriteItem");
    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoopbackHttpServer server;
    private final String target;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<Armed> armed = new AtomicReference<>();
    private final AtomicReference<RandomFaults> randomFaults = new AtomicReference<>();
    private final Map<String, ConcurrentLinkedQueue<Fault>> scheduled = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentLinkedQueue<Hold>> holds = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();
    private volatile Random random = new Random(1);

    public StoreProxy(String targetEndpoint) throws IOException {
        this.target = targetEndpoint;
        server = new LoopbackHttpServer("store-proxy", this::answer);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    /**
     * From now on, each request of one of {@code operations} (all if empty) is faulted with
     * probability {@code rate}, by a kind drawn evenly from those of {@code kinds} that fit the
     * operation. The draws are reproducible from {@code seed}.
     */
    public void failRandomly(double rate, long seed, Collection<String> operations, Collection<Fault> kinds) {
        random = new Random(seed);
        randomFaults.set(new RandomFaults(rate, Set.copyOf(operations), kinds.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(kinds)));
    }

    /** Every kind of fault, on every operation, at {@code rate}. */
    public void failRandomly(double rate, long seed) {
        failRandomly(rate, seed, Set.of(), EnumSet.allOf(Fault.class));
    }

    /** The next request of {@code operation} gets {@code fault} (after any already scheduled). */
    public void failNext(String operation, Fault fault) {
        if (!fault.fits(operation)) {
            throw new IllegalArgumentException(fault + " does not fit " + operation);
        }
        scheduled.computeIfAbsent(operation, k -> new ConcurrentLinkedQueue<>()).add(fault);
    }

    /** The next request of {@code operation} waits until the returned hold is released. */
    public Hold holdNext(String operation) {
        Hold hold = new Hold();
        holds.computeIfAbsent(operation, k -> new ConcurrentLinkedQueue<>()).add(hold);
        return hold;
    }

    /** No more faults, random or scheduled; counts are kept. */
    public void heal() {
        randomFaults.set(null);
        scheduled.clear();
    }

    /** Forgets the counts of calls and faults. */
    public void resetCounts() {
        calls.clear();
        injected.clear();
    }

    /** Requests seen, by operation. */
    public Map<String, Long> calls() {
        return snapshot(calls);
    }

    /** Faults injected, by kind. */
    public Map<String, Long> faults() {
        return snapshot(injected);
    }

    public long faultCount() {
        return injected.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long callCount() {
        return calls.values().stream().mapToLong(AtomicLong::get).sum();
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

    /** Handles one request; false if the connection must end. */
    private boolean answer(Request request, Socket socket, OutputStream out) throws IOException, InterruptedException {
        String operation = operation(request);
        calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
        Armed a = armed.get();
        if (a != null && a.operation().equals(operation) && armed.compareAndSet(a, null)) {
            a.kill().run();
            a.done().countDown();
            HttpMessages.write(out, error(500, "InternalServerError", "killed"));
            return false;
        }
        Hold hold = poll(holds, operation);
        if (hold != null) {
            hold.arrived.countDown();
            hold.released.await();
        }
        Fault fault = choose(operation);
        Response partial = fault == Fault.PARTIAL_BATCH ? partial(request, operation) : null;
        if (fault == null || (fault == Fault.PARTIAL_BATCH && partial == null)) {
            HttpMessages.write(out, forward(request, request.body()));
            return true;
        }
        injected.computeIfAbsent(fault.name(), k -> new AtomicLong()).incrementAndGet();
        switch (fault) {
            case ANSWER_DROPPED -> {
                forward(request, request.body());
                return false;
            }
            case CONNECTION_RESET -> {
                forward(request, request.body());
                socket.setSoLinger(true, 0);
                return false;
            }
            case APPLIED_THEN_SERVER_ERROR -> {
                forward(request, request.body());
                HttpMessages.write(out, error(500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error"));
                return true;
            }
            case PROVISIONED_THROUGHPUT_EXCEEDED -> HttpMessages.write(out, throughputExceeded());
            case THROTTLING -> HttpMessages.write(out, error(400, "com.amazon.coral.availability#ThrottlingException",
                    "Rate of requests exceeds the allowed throughput."));
            case SERVER_ERROR -> HttpMessages.write(out, error(500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error"));
            case PARTIAL_BATCH -> HttpMessages.write(out, partial);
        }
        return true;
    }

    private Fault choose(String operation) {
        Fault next = poll(scheduled, operation);
        if (next != null) {
            return next;
        }
        RandomFaults faults = randomFaults.get();
        if (faults == null || !(faults.operations().isEmpty() || faults.operations().contains(operation))) {
            return null;
        }
        List<Fault> fitting = faults.kinds().stream().filter(f -> f.fits(operation)).toList();
        Random r = random;
        synchronized (r) {
            if (fitting.isEmpty() || r.nextDouble() >= faults.rate()) {
                return null;
            }
            return fitting.get(r.nextInt(fitting.size()));
        }
    }

    private static <T> T poll(Map<String, ConcurrentLinkedQueue<T>> queues, String operation) {
        ConcurrentLinkedQueue<T> queue = queues.get(operation);
        return queue == null ? null : queue.poll();
    }

    /**
     * Forwards part of a batch and hands the rest back as unprocessed, in the shape DynamoDB
     * uses: {@code UnprocessedItems} (a list of write requests per table) or
     * {@code UnprocessedKeys} (the table's keys-and-attributes with the keys left). Null for a
     * read of one key, which cannot be split.
     */
    private Response partial(Request request, String operation) throws IOException, InterruptedException {
        boolean write = operation.equals("BatchWriteItem");
        ObjectNode body = (ObjectNode) JSON.readTree(request.body());
        ObjectNode requested = (ObjectNode) body.get("RequestItems");
        List<Map.Entry<String, JsonNode>> elements = new ArrayList<>();
        requested.fields().forEachRemaining(table -> (write ? table.getValue() : table.getValue().get("Keys"))
                .forEach(element -> elements.add(Map.entry(table.getKey(), element))));
        // A read that processes nothing is refused with ProvisionedThroughputExceededException (a fault
        // of its own); a write can hand everything back after an internal processing failure.
        int fewest = write ? 0 : 1;
        if (elements.size() <= fewest) {
            return null;
        }
        List<Map.Entry<String, JsonNode>> shuffled = new ArrayList<>(elements);
        int processed;
        synchronized (random) {
            Collections.shuffle(shuffled, random);
            processed = fewest + random.nextInt(elements.size() - fewest);
        }
        Response answer;
        if (processed == 0) {
            answer = new Response(200, Map.of("Content-Type", List.of("application/x-amz-json-1.0")), "{}".getBytes(StandardCharsets.UTF_8));
        } else {
            ObjectNode forwarded = body.deepCopy();
            forwarded.set("RequestItems", group(requested, shuffled.subList(0, processed), write));
            answer = forward(request, JSON.writeValueAsBytes(forwarded));
            if (answer.status() != 200) {
                return answer;
            }
        }
        ObjectNode response = (ObjectNode) JSON.readTree(answer.body());
        response.set(write ? "UnprocessedItems" : "UnprocessedKeys", group(requested, shuffled.subList(processed, shuffled.size()), write));
        byte[] bytes = JSON.writeValueAsBytes(response);
        Map<String, List<String>> headers = new LinkedHashMap<>(answer.headers());
        headers.keySet().removeIf(name -> name.equalsIgnoreCase("x-amz-crc32"));
        CRC32 crc = new CRC32();
        crc.update(bytes);
        headers.put("x-amz-crc32", List.of(Long.toString(crc.getValue())));
        return new Response(200, headers, bytes);
    }

    /** The elements, per table, as a {@code RequestItems}-shaped object. */
    private static ObjectNode group(ObjectNode requested, List<Map.Entry<String, JsonNode>> elements, boolean write) {
        ObjectNode grouped = JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> element : elements) {
            ArrayNode list;
            if (write) {
                list = grouped.has(element.getKey()) ? (ArrayNode) grouped.get(element.getKey()) : grouped.putArray(element.getKey());
            } else {
                if (!grouped.has(element.getKey())) {
                    ObjectNode keysAndAttributes = requested.get(element.getKey()).deepCopy();
                    keysAndAttributes.putArray("Keys");
                    grouped.set(element.getKey(), keysAndAttributes);
                }
                list = (ArrayNode) grouped.get(element.getKey()).get("Keys");
            }
            list.add(element.getValue());
        }
        return grouped;
    }

    /** Passes {@code request} on to the store with this body (all of it, or the part of a batch that goes through). */
    Response forward(Request request, byte[] body) throws IOException, InterruptedException {
        return send(request.method(), request.path(), request.headers(), body);
    }

    /** Sends a request straight to the store, unwatched; {@code headers} named in lower case. */
    final Response send(String method, String path, Map<String, List<String>> requestHeaders, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder forwarded = HttpRequest.newBuilder(URI.create(target + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        requestHeaders.forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name)) {
                values.forEach(value -> forwarded.header(name, value));
            }
        });
        HttpResponse<byte[]> response = client.send(forwarded.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                headers.put(name, List.copyOf(values));
            }
        });
        return new Response(response.statusCode(), headers, response.body());
    }

    private static Response throughputExceeded() {
        return error(400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                "The level of configured provisioned throughput for the table was exceeded. "
                        + "Consider increasing your provisioning level with the UpdateTable API.");
    }

    private static Response error(int status, String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("__type", type).put("message", message);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/x-amz-json-1.0"));
        headers.put("x-amzn-RequestId", List.of("store-proxy-" + System.nanoTime()));
        try {
            return new Response(status, headers, JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The DynamoDB operation a request asks for, from its {@code X-Amz-Target} header. */
    static String operation(Request request) {
        String target = request.header("x-amz-target");
        String value = target == null ? "" : target;
        return value.substring(value.indexOf('.') + 1);
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> counters) {
        Map<String, Long> copy = new TreeMap<>();
        counters.forEach((name, count) -> copy.put(name, count.get()));
        return copy;
    }

    @Override
    public void close() {
        server.close();
        holds.values().forEach(queue -> queue.forEach(Hold::release));
    }
}
