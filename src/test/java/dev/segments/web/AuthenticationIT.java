package dev.segments.web;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** AuthenticationTest against the packaged artifact (the native executable in CI). */
@QuarkusIntegrationTest
class AuthenticationIT extends AuthenticationTest {
}
