package dev.segments.project;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** ProjectApiTest against the packaged artifact (the native executable in CI). */
@QuarkusIntegrationTest
class ProjectApiIT extends ProjectApiTest {
}
