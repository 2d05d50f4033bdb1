package dev.segments.ops;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** RequestLogTest against the packaged artifact: the native executable must write the same lines. */
@QuarkusIntegrationTest
class RequestLogIT extends RequestLogTest {
}
