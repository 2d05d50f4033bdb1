package dev.segments.project;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** DeletionApiTest against the packaged artifact (the native executable in CI). */
@QuarkusIntegrationTest
class DeletionApiIT extends DeletionApiTest {
}
