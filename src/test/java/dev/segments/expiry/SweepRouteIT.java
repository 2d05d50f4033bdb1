package dev.segments.expiry;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** SweepRouteTest against the packaged artifact (the native executable in CI). */
@QuarkusIntegrationTest
class SweepRouteIT extends SweepRouteTest {
}
