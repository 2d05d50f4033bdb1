package dev.segments.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.testing.LambdaRuntime.Failure;
import dev.segments.testing.LambdaRuntime.InvocationFailed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The harness's limits bite, and what they do is reported: a function that passes its memory
 * size is killed by the kernel and the invocation fails as out of memory; one that does not
 * finish its init within 10 s fails as such; a process that wants more CPU than its share is
 * throttled; the cgroups are gone afterwards. The "functions" are bootstrap scripts.
 */
@Tag("lambda-shape")
@Isolated("its greedy and busy processes must not share the machine with a Lambda-shape run")
class LambdaLimitsIT {

    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void passingTheMemorySizeIsAnOomKillReportedAsSuch() throws Exception {
        // A JVM that touches a 256 MB heap at start, in 64 MB.
        PackagedFunction greedy = bootstrap("exec '" + JAVA + "' -Xms256m -Xmx256m -XX:+AlwaysPreTouch -version");
        try (ExecutionEnvironment environment = environment(greedy, 64)) {
            InvocationFailed failed = assertThrows(InvocationFailed.class, () -> environment.send("GET", "/", Map.of(), null));
            assertEquals(Failure.OUT_OF_MEMORY, failed.failure(), failed.getMessage());
            assertTrue(environment.peakBytes() <= 64L * 1024 * 1024);
        }
    }

    @Test
    @Timeout(120)
    void aTimedOutInvocationStopsTheProcessAndTheNextStartsAnother() throws Exception {
        // A function that takes an event and never answers.
        Path source = Files.createTempFile("Stuck", ".java");
        Files.writeString(source, "public class Stuck { public static void main(String[] a) throws Exception {"
                + " var next = new java.net.URL(\"http://\" + System.getenv(\"AWS_LAMBDA_RUNTIME_API\") + \"/2018-06-01/runtime/invocation/next\");"
                + " next.openStream().readAllBytes(); Thread.sleep(600_000); } }");
        PackagedFunction stuck = bootstrap("exec '" + JAVA + "' -Xmx64m '" + source + "'");
        try (ExecutionEnvironment environment = new ExecutionEnvironment(stuck, 512, Duration.ofSeconds(2), "unused", "http://127.0.0.1:9",
                "unused", 0, Files.createTempFile("lambda-limits", ".log"))) {
            for (int invocation = 1; invocation <= 2; invocation++) {
                InvocationFailed failed = assertThrows(InvocationFailed.class, () -> environment.send("GET", "/", Map.of(), null));
                assertEquals(Failure.TIMED_OUT, failed.failure(), failed.getMessage());
                assertEquals(invocation, environment.coldStarts(), "each invocation after a timeout starts a new process");
            }
        } finally {
            Files.delete(source);
        }
    }

    @Test
    void anInitLongerThanTenSecondsFails() throws Exception {
        try (ExecutionEnvironment environment = environment(bootstrap("exec sleep 60"), 128)) {
            InvocationFailed failed = assertThrows(InvocationFailed.class, () -> environment.send("GET", "/", Map.of(), null));
            assertEquals(Failure.INIT_FAILED, failed.failure(), failed.getMessage());
        }
    }

    @Test
    void theCpuShareIsEnforcedAndTheCgroupsAreRemoved() throws Exception {
        Path log = Files.createTempFile("cgroup", ".log");
        Cgroup cgroup = new Cgroup(177);
        List<Path> directories = cgroup.directories();
        try {
            assertEquals(10_006, Cgroup.quotaMicros(177));
            Process busy = cgroup.start(List.of("/bin/sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"), Map.of(), log.toFile());
            assertEquals(0, busy.waitFor());
            assertTrue(cgroup.throttledPeriods() > 0, "a busy loop at 10% of a core was never throttled");
            long used = cgroup.cpuNanos();
            assertTrue(used == -1 || used > 50_000_000L, "the busy loop's CPU time was not counted: " + used + " ns");
        } finally {
            cgroup.close();
            Files.delete(log);
        }
        directories.forEach(directory -> assertFalse(Files.exists(directory), directory + " is left behind"));
    }

    private static ExecutionEnvironment environment(PackagedFunction function, int memoryMb) throws IOException {
        return new ExecutionEnvironment(function, memoryMb, Duration.ofSeconds(15), "unused", "http://127.0.0.1:9", "unused", 0,
                Files.createTempFile("lambda-limits", ".log"));
    }

    /** A package whose bootstrap is this shell script, as a custom runtime's may be. */
    private static PackagedFunction bootstrap(String script) throws IOException {
        Path zip = Files.createTempFile("function", ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("bootstrap"));
            out.write(("#!/bin/sh\n" + script + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        zip.toFile().deleteOnExit();
        return PackagedFunction.of(zip);
    }
}
