package dev.segments.token;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** TokenApiTest against the packaged artifact (the native executable in CI). */
@QuarkusIntegrationTest
class TokenApiIT extends TokenApiTest {
}
