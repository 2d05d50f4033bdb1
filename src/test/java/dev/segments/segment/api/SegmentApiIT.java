package dev.segments.segment.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** SegmentApiTest against the packaged artifact (the native executable in CI). */
@QuarkusIntegrationTest
class SegmentApiIT extends SegmentApiTest {
}
