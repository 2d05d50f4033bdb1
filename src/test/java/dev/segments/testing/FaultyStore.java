package dev.segments.testing;

import java.nio.file.Path;
import java.util.Map;

/**
 * A profile whose store the test may kill and restart: its own dynalite with data on disk,
 * instead of the shared in-memory one, which other tests keep using undisturbed.
 */
public class FaultyStore extends OwnStoreProfile {

    public static Dynalite.Server server;

    public static class Resource implements io.quarkus.test.common.QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            server = new Dynalite.Server(Path.of("target", "dynalite-faults", Long.toString(ProcessHandle.current().pid())));
            return Map.of("quarkus.dynamodb.endpoint-override", server.endpoint());
        }

        @Override
        public void stop() {
            // ends with the JVM
        }
    }

    @Override
    Class<Resource> store() {
        return Resource.class;
    }
}
