package dev.segments.dynamo;

import dev.segments.ops.RequestRecord;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts DynamoDB requests by operation, and the bytes of their request bodies, as the SDK
 * sends them. Benchmarks and tests read it to show what an API call costs in store requests.
 * It also adds each call's time, retries included, to the running request's record.
 */
public class RequestCounter implements ExecutionInterceptor {

    /**
     * The SDK allows each attribute name once per JVM, and dev mode's live reload defines this
     * class again in the same JVM: so each definition takes a name of its own (a native image's
     * one, fixed when it is built).
     */
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>(
            "segments.started@" + Integer.toHexString(System.identityHashCode(RequestCounter.class)));

    private static final Map<String, AtomicLong> REQUESTS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> BYTES = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> RESPONSE_BYTES = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        timed(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        timed(attributes);
    }

    private static void timed(ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED);
        if (started != null) {
            RequestRecord.current().ifPresent(record -> record.calledDynamo(System.nanoTime() - started));
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        REQUESTS.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
        long size = context.requestBody().flatMap(body -> body.optionalContentLength()).orElse(0L);
        BYTES.computeIfAbsent(operation, k -> new AtomicLong()).addAndGet(size);
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        long size = context.httpResponse().firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(0L);
        RESPONSE_BYTES.computeIfAbsent(operation, k -> new AtomicLong()).addAndGet(size);
    }

    /** Response body bytes received so far, by operation (what was read from the store). */
    public static Map<String, Long> responseBytes() {
        return snapshot(RESPONSE_BYTES);
    }

    /** Requests sent so far, by operation. Includes SDK retries: each attempt is a request. */
    public static Map<String, Long> requests() {
        return snapshot(REQUESTS);
    }

    /** Request body bytes sent so far, by operation. */
    public static Map<String, Long> bytes() {
        return snapshot(BYTES);
    }

    /** What happened between two snapshots. */
    public static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((op, count) -> {
            long d = count - before.getOrDefault(op, 0L);
            if (d != 0) {
                delta.put(op, d);
            }
        });
        return delta;
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> counters) {
        Map<String, Long> copy = new TreeMap<>();
        counters.forEach((op, count) -> copy.put(op, count.get()));
        return copy;
    }
}
