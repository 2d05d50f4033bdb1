package dev.segments.segment.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** ExpiringTargetsApiTest against the packaged artifact (the native executable in CI). */
@QuarkusIntegrationTest
class ExpiringTargetsApiIT extends ExpiringTargetsApiTest {
}
