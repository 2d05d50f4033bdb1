package dev.segments.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A profile whose store the test may kill and restart: its own dynalite with data on disk,
 * instead of the shared in-memory one, which other tests keep using undisturbed.
 */
public class FaultyStore implements QuarkusTestProfile {

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
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Resource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("segments.sweeper.interval", "0s");
    }
}
