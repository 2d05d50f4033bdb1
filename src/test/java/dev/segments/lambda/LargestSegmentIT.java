package dev.segments.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.lambda.LargestSegment.Keys;
import dev.segments.lambda.LargestSegment.Report;
import dev.segments.testing.Dynalite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The deployed shape holds the largest segment the service accepts: the packaged function
 * ({@code target/function.zip}, or {@code -Dshape.zip=...}) at the memory size and timeout
 * template.yaml gives its build ({@code -Dshape.memory=...} to try another), in Lambda's
 * memory and CPU limits, through the Runtime API stand-in with Lambda's payload cap, takes
 * {@link LargestSegment} with short keys and with the longest keys allowed.
 *
 * <p>The two run at once, each in its own environment and table, as two Lambda instances would:
 * most of a run is waiting for its removals to fall due ({@code -Dshape.dueSeconds}, default 120,
 * counted from the first schedule), and the waits overlap. Run with
 * {@code ./mvnw verify -Plambda-shape} after building the function; {@code .ci/run} runs it on
 * the native build.
 */
@Tag("lambda-shape")
@Execution(ExecutionMode.CONCURRENT)
class LargestSegmentIT {

    static final String TOKEN = "api-00000000-0000-4000-8000-0000000005a9";

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void fifteenThousandUsersWithShortKeys() throws Exception {
        Report report = run(Keys.SHORT);
        // Nothing in the service refuses 15,000 short keys: all of them go in, are scheduled and are swept.
        assertEquals(LargestSegment.USERS, report.accepted());
        assertEquals(LargestSegment.USERS, report.scheduled());
        assertEquals(0, report.refusals());
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void fifteenThousandUsersWithTheLongestKeys() throws Exception {
        run(Keys.LONGEST);
    }

    private static Report run(Keys keys) throws Exception {
        PackagedFunction function = PackagedFunction.of(Path.of(System.getProperty("shape.zip", "target/function.zip")));
        int memory = Integer.getInteger("shape.memory", Deployed.memoryMb(function.build()));
        long dueDelay = Long.getLong("shape.dueSeconds", 120) * 1000;
        String endpoint = Dynalite.startServer();
        String table = Dynalite.newTable("shape");
        Path log = Path.of("target", "lambda-shape-" + keys.name().toLowerCase() + ".log");
        Files.deleteIfExists(log);
        long started = System.nanoTime();
        try (ExecutionEnvironment environment = new ExecutionEnvironment(function, memory, Deployed.timeout(), table, endpoint, TOKEN,
                Deployed.parameter("RateLimitPerMinute"), log)) {
            Report report;
            try {
                report = new LargestSegment(environment, TOKEN, keys, dueDelay).run();
            } catch (AssertionError failed) {
                throw new AssertionError(failed.getMessage() + " [" + function.build().label() + " at " + memory + " MB, peak memory "
                        + environment.peakBytes() / 1048576 + " MB, " + environment.coldStarts() + " cold start(s); log " + log + "]", failed);
            }
            // A process that died between invocations would be replaced by the next one unseen: there must have been none.
            assertEquals(1, environment.coldStarts(), "the function was started more than once; see " + log);
            // Nor did it warn of anything: say, that it could not keep its response event buffer (EventBuffer).
            List<String> warnings = Files.readAllLines(log).stream().filter(line -> line.matches("\\S+ \\S+ (WARN|ERROR) .*")).toList();
            assertEquals(List.of(), warnings, "see " + log);
            System.out.printf("%nLAMBDA SHAPE %s build at %d MB, %s keys (%d bytes): %d accepted, %d scheduled, %d swept, %d clean "
                            + "refusals; %d cold start(s), peak memory %.1f MB; %.0f s%n",
                    function.build().label(), memory, keys, keys.bytes(), report.accepted(), report.scheduled(), report.expired(),
                    report.refusals(), environment.coldStarts(), environment.peakBytes() / 1048576.0, (System.nanoTime() - started) / 1e9);
            report.steps().forEach((step, outcome) -> System.out.printf("  %s: %s%n", step, outcome));
            return report;
        }
    }
}
