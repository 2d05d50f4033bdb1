package dev.segments.console;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** ConsoleResourcesTest against the packaged artifact (the native executable in CI): its files are in the image. */
@QuarkusIntegrationTest
class ConsoleResourcesIT extends ConsoleResourcesTest {
}
