package dev.segments.segment.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** RequestErrorsTest against the packaged artifact (the native executable in CI). */
@QuarkusIntegrationTest
class RequestErrorsIT extends RequestErrorsTest {
}
