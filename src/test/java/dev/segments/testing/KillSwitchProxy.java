package dev.segments.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
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
public final class KillSwitchProxy extends StoreProxy {

    private record Armed(String operation, Runnable kill, CountDownLatch done) {
    }

    private final AtomicReference<Armed> armed = new AtomicReference<>();

    public KillSwitchProxy(String targetEndpoint) throws IOException {
        super(targetEndpoint);
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

    @Override
    protected HttpResponse<byte[]> exchange(HttpExchange exchange, String operation, byte[] body) throws IOException, InterruptedException {
        Armed a = armed.get();
        if (a != null && a.operation().equals(operation) && armed.compareAndSet(a, null)) {
            a.kill().run();
            a.done().countDown();
            return null;
        }
        return forward(exchange, body);
    }
}
