package dev.segments.segment.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** SegmentJsonPatchTest against the packaged artifact (the native executable in CI). */
@QuarkusIntegrationTest
class SegmentJsonPatchIT extends SegmentJsonPatchTest {
}
