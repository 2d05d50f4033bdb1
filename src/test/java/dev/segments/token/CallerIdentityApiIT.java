package dev.segments.token;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** CallerIdentityApiTest against the packaged artifact (the native executable in CI). */
@QuarkusIntegrationTest
class CallerIdentityApiIT extends CallerIdentityApiTest {
}
