package dev.segments.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The service reaching the shared dynalite through a {@link StoreProxy}, so that a test can
 * make the store behave as DynamoDB does under AWS: lost answers, throttling, partial batches.
 * The in-process sweeper is off ({@link Sweeping} keeps it on). Tests read and check the table
 * through {@link #direct()}, which bypasses the proxy, and should {@code heal()} the proxy when
 * they are done.
 */
public class StoreFaults extends OwnStoreProfile {

    public static volatile StoreProxy proxy;
    private static volatile DynamoDbClient direct;

    /** The same, with the in-process sweeper running every second as in the other tests. */
    public static class Sweeping extends StoreFaults {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of();
        }
    }

    /**
     * The same, with a 4 s budget per request instead of 13 s, so that a test sees requests run
     * out of time without waiting long.
     */
    public static class ShortDeadline extends StoreFaults {
        public static final long BUDGET_MILLIS = 4000;

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segments.sweeper.interval", "0s", "segments.deadline.budget", BUDGET_MILLIS + "ms");
        }
    }

    /**
     * The same through a {@link DynamoMeter} (the {@link #proxy}, faults and all), which counts what
     * DynamoDB would bill: {@link #meter()}.
     */
    public static class Metered extends StoreFaults {
        public static class Resource extends StoreFaults.Resource {
            @Override
            StoreProxy proxyTo(String endpoint) throws IOException {
                return new DynamoMeter(endpoint);
            }
        }

        public static DynamoMeter meter() {
            return (DynamoMeter) proxy;
        }

        @Override
        Class<? extends StoreFaults.Resource> store() {
            return Resource.class;
        }
    }

    public static class Resource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                proxy = proxyTo(Dynalite.startServer());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("quarkus.dynamodb.endpoint-override", proxy.endpoint());
        }

        StoreProxy proxyTo(String endpoint) throws IOException {
            return new StoreProxy(endpoint);
        }

        @Override
        public void stop() {
            proxy.close();
        }
    }

    /** A client straight to dynalite, past the proxy: for checks and for the TTL emulator. */
    public static synchronized DynamoDbClient direct() {
        if (direct == null) {
            direct = Dynalite.client(Dynalite.startServer()).build();
        }
        return direct;
    }

    @Override
    Class<? extends Resource> store() {
        return Resource.class;
    }
}
