package dev.segments.web;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** OpenApiDocumentTest against the packaged artifact (the native executable in CI). */
@QuarkusIntegrationTest
class OpenApiDocumentIT extends OpenApiDocumentTest {
}
