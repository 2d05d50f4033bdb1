package dev.segments.audit;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** AuditLogTest against the packaged artifact (the native executable in CI). */
@QuarkusIntegrationTest
class AuditLogIT extends AuditLogTest {
}
