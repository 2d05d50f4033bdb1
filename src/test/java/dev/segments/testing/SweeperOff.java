package dev.segments.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The service without its in-process sweeper, as while it is stopped or when a test drives the sweeper itself. */
public class SweeperOff implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("segments.sweeper.interval", "0s");
    }
}
