package dev.segments.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * A profile whose store is a test resource of its own instead of the shared dynalite that
 * other tests keep using undisturbed, with the in-process sweeper off.
 */
abstract class OwnStoreProfile implements QuarkusTestProfile {

    /** Starts the store and returns the endpoint override that points the service at it. */
    abstract Class<? extends QuarkusTestResourceLifecycleManager> store();

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(store()));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("segments.sweeper.interval", "0s");
    }
}
