package dev.segments.segment.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** ExpiringUserTargetsApiTest against the packaged artifact (the native executable in CI). */
@QuarkusIntegrationTest
class ExpiringUserTargetsApiIT extends ExpiringUserTargetsApiTest {
}
