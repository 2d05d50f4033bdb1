package dev.segments.segment.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** SegmentListTest against the packaged artifact (the native executable in CI). */
@QuarkusIntegrationTest
class SegmentListIT extends SegmentListTest {
}
