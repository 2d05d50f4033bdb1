package dev.segments.lambda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segments.lambda.ExecutionEnvironment.Invocation;
import dev.segments.lambda.LargestSegment.Keys;
import dev.segments.lambda.PackagedFunction.Build;
import dev.segments.testing.Dynalite;
import dev.segments.testing.DynamoMeter;
import dev.segments.testing.DynamoMeter.Usage;
import dev.segments.testing.LambdaRuntime.InvocationFailed;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Power tuning in the manner of AWS Lambda Power Tuning: the packaged function, native and JVM,
 * at several memory sizes in Lambda's memory and CPU limits (see {@link ExecutionEnvironment}),
 * against dynalite. Per memory size: cold start (process start to the first answered PATCH,
 * median of three, and of it the init: process start to the first poll for an event), a small
 * PATCH's duration as Lambda bills it (p50, p99), a one-schedule PATCH and a GET on a
 * 15,000-user segment with every user scheduled (medians, after two PATCHes to warm up; again with {@code Accept-Encoding: gzip}), the peak memory, and the cost of a
 * million small PATCHes from the prices below and the DynamoDB request units a
 * {@link DynamoMeter} counted; then the mean CPU time of each kind of call. An OOM kill, a timeout or an over-cap answer shows in its cell.
 * Prints one table; asserts nothing. Run with {@code bash scripts/power-tuning.sh}.
 */
@Tag("benchmark")
class PowerTuningBenchmark {

    /** Lambda, x86, us-east-1: per GB-second and per request (aws.amazon.com/lambda/pricing, looked up 2026-11-30). */
    static final double LAMBDA_GB_SECOND = 0.0000166667;
    static final double LAMBDA_REQUEST = 0.20 / 1_000_000;
    /** DynamoDB on-demand, Standard table class, us-east-1: per read and write request unit (aws.amazon.com/dynamodb/pricing/on-demand, looked up 2026-11-30). */
    static final double DYNAMODB_READ_UNIT = 0.125 / 1_000_000;
    static final double DYNAMODB_WRITE_UNIT = 0.625 / 1_000_000;

    static final String TOKEN = "api-00000000-0000-4000-8000-00000000070e";
    static final String PATCH_TYPE = LargestSegment.PATCH_TYPE;
    static final String SMALL = "small";
    static final String SMALL_PATH = "/api/v2/segments/" + LargestSegment.PROJECT + "/" + SMALL + "/expiring-user-targets/" + LargestSegment.ENV;
    static final int COLD_STARTS = 3;
    static final int WARMUP = 20;
    static final int SAMPLES = 200;
    /** Medians of 20: under a CFS quota, a big request is throttled or not by where it falls in the period. */
    static final int BIG_SAMPLES = 20;
    /** Commits between two copy-outs of a head's audit entries ({@code AuditEntries.COMMITS_PER_HEAD}). */
    static final int WARM_CYCLE = 10;
    /** Rate limiting stays on, as deployed (claims of 10 hits, as at the deployed 600 a minute), with room for every sample. */
    static final int RATE_PER_MINUTE = 1_000_000;
    static final long FAR = System.currentTimeMillis() + 30L * 86_400_000L;
    static final Map<String, String> GZIP = Map.of("accept-encoding", "gzip");

    record Row(Build build, int memoryMb) {
    }

    /** Rows as {@code -Dshape.rows=native:512,jvm:1024} names them: a build and a memory size each. */
    static List<Row> rows(String spec) {
        return Arrays.stream(spec.split(",")).map(String::trim).map(row -> {
            String[] parts = row.split(":");
            return new Row(Build.valueOf(parts[0].toUpperCase(Locale.ROOT)), Integer.parseInt(parts[1]));
        }).toList();
    }

    @Test
    void powerTuning() throws Exception {
        Path nativeZip = Path.of(System.getProperty("shape.nativeZip", "target/lambda-shape/native-function.zip"));
        Path jvmZip = Path.of(System.getProperty("shape.jvmZip", "target/lambda-shape/jvm-function.zip"));
        List<Row> rows = rows(System.getProperty("shape.rows",
                "native:128,native:256,native:512,native:1024,native:1769,jvm:512,jvm:1024"));
        boolean jvm = rows.stream().anyMatch(row -> row.build() == Build.JVM);
        assumeTrue(Files.exists(nativeZip) && (!jvm || Files.exists(jvmZip)), "build the packages first: bash scripts/power-tuning.sh");
        Map<Build, PackagedFunction> functions = jvm
                ? Map.of(Build.NATIVE, PackagedFunction.of(nativeZip), Build.JVM, PackagedFunction.of(jvmZip))
                : Map.of(Build.NATIVE, PackagedFunction.of(nativeZip));

        String endpoint = Dynalite.startServer();
        String table = Dynalite.newTable("tuning");
        Path log = Path.of("target", "power-tuning.log");
        Files.deleteIfExists(log);
        Duration timeout = Deployed.timeout();
        PackagedFunction nativeFunction = functions.get(Build.NATIVE);

        // The 15,000-user segment, every user scheduled, and a 10-user one, made once at the largest size.
        String bigUser;
        try (ExecutionEnvironment builder = new ExecutionEnvironment(nativeFunction, 1769, timeout, table, endpoint, TOKEN,
                RATE_PER_MINUTE, log)) {
            LargestSegment big = new LargestSegment(builder, TOKEN, Keys.SHORT, 0);
            big.build(FAR);
            bigUser = Keys.SHORT.key.apply(0);
            StringBuilder users = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                users.append(i == 0 ? "" : ",").append("\"u").append(i).append('"');
            }
            ok(builder, "POST", "/api/v2/segments/" + LargestSegment.PROJECT + "/" + LargestSegment.ENV, "application/json",
                    "{\"key\":\"" + SMALL + "\",\"name\":\"Small\"}");
            ok(builder, "PATCH", "/api/v2/segments/" + LargestSegment.PROJECT + "/" + LargestSegment.ENV + "/" + SMALL, PATCH_TYPE,
                    "{\"environmentKey\":\"" + LargestSegment.ENV + "\",\"instructions\":[{\"kind\":\"addIncludedUsers\",\"values\":[" + users + "]}]}");
        }

        // What DynamoDB bills per request: counted once (it does not depend on the memory size), through the meter.
        Usage small;
        Usage bigCold;
        Usage bigPatch;
        Usage bigGet;
        try (DynamoMeter meter = new DynamoMeter(endpoint);
                ExecutionEnvironment metered = new ExecutionEnvironment(nativeFunction, 1769, timeout, table, meter.endpoint(), TOKEN,
                        RATE_PER_MINUTE, log)) {
            smallPatch(metered, 0);
            Usage before = meter.usage();
            for (int i = 1; i <= 20; i++) {
                smallPatch(metered, i);
            }
            small = meter.usage().minus(before).unitsPer(20);
            // Cold: this process holds none of the segment's chunks yet. Then warm, once the
            // audit entries the build left in the head are copied out: the mean of ten PATCHes,
            // a whole cycle of that copy-out (once per ten commits).
            before = meter.usage();
            bigPatch(metered, bigUser, 0);
            bigCold = meter.usage().minus(before);
            for (int i = 1; i < WARM_CYCLE; i++) {
                bigPatch(metered, bigUser, i);
            }
            before = meter.usage();
            for (int i = WARM_CYCLE; i < 2 * WARM_CYCLE; i++) {
                bigPatch(metered, bigUser, i);
            }
            bigPatch = meter.usage().minus(before).unitsPer(WARM_CYCLE);
            before = meter.usage();
            ok(metered, "GET", LargestSegment.USERS_PATH, null, null);
            bigGet = meter.usage().minus(before);
        }

        List<String> lines = new ArrayList<>();
        List<String> cpu = new ArrayList<>();
        for (Row row : rows) {
            lines.add(measure(functions.get(row.build()), row.memoryMb(), timeout, table, endpoint, log, bigUser, small, cpu));
        }

        System.out.printf("%nBENCHMARK power tuning: the packaged function in Lambda's memory and CPU limits (CPU share = memory / %,d MB),"
                + " against dynalite; durations as Lambda bills them (event taken to response posted)%n", Cgroup.MB_PER_VCPU);
        System.out.println("| build | memory | CPU | cold start | small PATCH p50 | p99 | 15,000-user PATCH | 15,000-user GET "
                + "| 15,000-user PATCH / GET, gzip | peak memory | cost / 1M PATCHes (Lambda + DynamoDB) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        lines.forEach(System.out::println);
        cpu.forEach(System.out::println);
        System.out.printf("DynamoDB per small PATCH (10-user segment, mean of 20): %s%n", small);
        System.out.printf("DynamoDB per one-schedule PATCH on the 15,000-user segment: cold (no chunk held) %s; warm (mean of %d) %s%n",
                bigCold, WARM_CYCLE, bigPatch);
        System.out.printf("DynamoDB per GET of its 15,000 schedules: %s%n", bigGet);
        System.out.printf("Prices (us-east-1, x86): Lambda $%.10f per GB-s and $%.2f per 1M requests; DynamoDB on-demand $%.3f per 1M RRU, "
                + "$%.3f per 1M WRU. JVM rows ran on %s.%n%n", LAMBDA_GB_SECOND, LAMBDA_REQUEST * 1e6, DYNAMODB_READ_UNIT * 1e6,
                DYNAMODB_WRITE_UNIT * 1e6, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }

    /**
     * One row of the table: a fresh environment (cgroups) at this memory size. Adds to
     * {@code cpu} the mean CPU time of each kind of call, which, unlike a duration, does not
     * depend on where a call falls in the CFS period.
     */
    private static String measure(PackagedFunction function, int memoryMb, Duration timeout, String table, String endpoint, Path log,
            String bigUser, Usage dynamo, List<String> cpu) throws Exception {
        try (ExecutionEnvironment environment = new ExecutionEnvironment(function, memoryMb, timeout, table, endpoint, TOKEN,
                RATE_PER_MINUTE, log)) {
            int n = 0;
            String cold;
            try {
                List<Long> colds = new ArrayList<>();
                List<Long> inits = new ArrayList<>();
                for (int i = 0; i < COLD_STARTS; i++) {
                    environment.stop();
                    Invocation first = smallPatch(environment, n++);
                    colds.add(first.coldStartNanos());
                    inits.add(first.initNanos());
                }
                cold = millis(median(colds)) + " (init " + millis(median(inits)) + ")";
            } catch (InvocationFailed failed) {
                cold = failure(failed);
            }
            String p50;
            String p99;
            long cpuSmall = -1;
            long cpuBig = -1;
            long cpuGet = -1;
            double meanBilledMillis = Double.NaN;
            try {
                for (int i = 0; i < WARMUP; i++) {
                    smallPatch(environment, n++);
                }
                List<Long> durations = new ArrayList<>();
                long cpuBefore = environment.cpuNanos();
                for (int i = 0; i < SAMPLES; i++) {
                    durations.add(smallPatch(environment, n++).answer().durationNanos());
                }
                cpuSmall = (environment.cpuNanos() - cpuBefore) / SAMPLES;
                Collections.sort(durations);
                p50 = millis(durations.get(SAMPLES / 2));
                p99 = millis(durations.get(SAMPLES * 99 / 100));
                // Lambda rounds each invocation's duration up to the millisecond.
                meanBilledMillis = durations.stream().mapToLong(d -> (d + 999_999) / 1_000_000).average().orElseThrow();
            } catch (InvocationFailed failed) {
                p50 = failure(failed);
                p99 = "";
            }
            String bigPatch;
            try {
                // Two to warm up, so that the segment is as it was: the first reads every chunk.
                bigPatch(environment, bigUser, 0);
                bigPatch(environment, bigUser, 1);
                List<Long> durations = new ArrayList<>();
                long cpuBefore = environment.cpuNanos();
                for (int i = 0; i < BIG_SAMPLES; i++) {
                    durations.add(bigPatch(environment, bigUser, i).answer().durationNanos());
                }
                cpuBig = (environment.cpuNanos() - cpuBefore) / BIG_SAMPLES;
                bigPatch = millis(median(durations));
            } catch (InvocationFailed failed) {
                bigPatch = failure(failed);
            }
            String bigGet;
            try {
                List<Long> durations = new ArrayList<>();
                long cpuBefore = environment.cpuNanos();
                for (int i = 0; i < BIG_SAMPLES; i++) {
                    durations.add(ok(environment, "GET", LargestSegment.USERS_PATH, null, null).answer().durationNanos());
                }
                cpuGet = (environment.cpuNanos() - cpuBefore) / BIG_SAMPLES;
                bigGet = millis(median(durations));
            } catch (InvocationFailed failed) {
                bigGet = failure(failed);
            }
            // The same two with Accept-Encoding: gzip, as most clients send it.
            String bigGzip;
            try {
                List<Long> patches = new ArrayList<>();
                List<Long> gets = new ArrayList<>();
                for (int i = 0; i < BIG_SAMPLES; i++) {
                    patches.add(gzipped(bigPatch(environment, bigUser, i, GZIP)).answer().durationNanos());
                }
                for (int i = 0; i < BIG_SAMPLES; i++) {
                    gets.add(gzipped(send(environment, "GET", LargestSegment.USERS_PATH, null, null, GZIP)).answer().durationNanos());
                }
                bigGzip = millis(median(patches)) + " / " + millis(median(gets));
            } catch (InvocationFailed failed) {
                bigGzip = failure(failed);
            }
            // Where CPU time is not counted (cpuNanos -1 throughout) or a kind failed, no line.
            if (cpuSmall > 0 && cpuBig > 0 && cpuGet > 0) {
                cpu.add(String.format(Locale.ROOT, "CPU per call, %s %,d MB (mean of %d small, %d big): small PATCH %s, "
                        + "15,000-user PATCH %s (%.2fx), 15,000-user GET %s", function.build().label(), memoryMb, SAMPLES,
                        BIG_SAMPLES, millis(cpuSmall), millis(cpuBig), (double) cpuBig / cpuSmall, millis(cpuGet)));
            }
            String cost = "";
            if (!Double.isNaN(meanBilledMillis)) {
                double lambda = 1e6 * (meanBilledMillis / 1000 * memoryMb / 1024.0 * LAMBDA_GB_SECOND + LAMBDA_REQUEST);
                double store = 1e6 * (dynamo.readUnits() * DYNAMODB_READ_UNIT + dynamo.writeUnits() * DYNAMODB_WRITE_UNIT);
                cost = String.format(Locale.ROOT, "$%.2f ($%.2f + $%.2f)", lambda + store, lambda, store);
            }
            return String.format(Locale.ROOT, "| %s | %,d MB | %.0f%% | %s | %s | %s | %s | %s | %s | %.0f MB | %s |", function.build().label(),
                    memoryMb, 100.0 * memoryMb / Cgroup.MB_PER_VCPU, cold, p50, p99, bigPatch, bigGet, bigGzip, environment.peakBytes() / 1048576.0, cost);
        }
    }

    /** Schedules, then cancels, the removal of one of the ten users, so every call changes the segment. */
    private static Invocation smallPatch(ExecutionEnvironment environment, int i) throws Exception {
        String user = "u" + (i % 10);
        String instruction = (i / 10) % 2 == 0
                ? "{\"kind\":\"addExpireUserTargetDate\",\"targetType\":\"included\",\"userKey\":\"" + user + "\",\"value\":" + FAR + "}"
                : "{\"kind\":\"removeExpireUserTargetDate\",\"targetType\":\"included\",\"userKey\":\"" + user + "\"}";
        return ok(environment, "PATCH", SMALL_PATH, PATCH_TYPE, "{\"instructions\":[" + instruction + "]}");
    }

    /** Removes, then adds back, one schedule on the 15,000-user segment, which ends as it began after an even count. */
    private static Invocation bigPatch(ExecutionEnvironment environment, String user, int i) throws Exception {
        return bigPatch(environment, user, i, Map.of());
    }

    private static Invocation bigPatch(ExecutionEnvironment environment, String user, int i, Map<String, String> extra) throws Exception {
        String instruction = i % 2 == 0
                ? "{\"kind\":\"removeExpireUserTargetDate\",\"targetType\":\"included\",\"userKey\":\"" + user + "\"}"
                : "{\"kind\":\"addExpireUserTargetDate\",\"targetType\":\"included\",\"userKey\":\"" + user + "\",\"value\":" + FAR + "}";
        return send(environment, "PATCH", LargestSegment.USERS_PATH, PATCH_TYPE, "{\"instructions\":[" + instruction + "]}", extra);
    }

    private static Invocation ok(ExecutionEnvironment environment, String method, String path, String type, String body) throws Exception {
        return send(environment, method, path, type, body, Map.of());
    }

    /** A request that must succeed, with {@code extra} headers; a gzip body is checked by {@link #gzipped}. */
    private static Invocation send(ExecutionEnvironment environment, String method, String path, String type, String body,
            Map<String, String> extra) throws Exception {
        Map<String, String> headers = new HashMap<>(extra);
        headers.put("authorization", TOKEN);
        if (type != null) {
            headers.put("content-type", type);
        }
        Invocation invocation = environment.send(method, path, headers, body);
        int status = invocation.answer().response().path("statusCode").asInt();
        if (status >= 300 || invocation.answer().response().path("body").asText().contains("\"failedInstructions\":1")) {
            throw new AssertionError(method + " " + path + " answered " + status + ": " + invocation.answer().response());
        }
        return invocation;
    }

    /** The invocation, once its answer is a gzip body (base64) whose instructions all succeeded. */
    private static Invocation gzipped(Invocation invocation) throws IOException {
        JsonNode response = invocation.answer().response();
        if (!response.path("isBase64Encoded").asBoolean()) {
            throw new AssertionError("not a gzip answer: " + response.path("headers"));
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(response.path("body").asText())))) {
            if (new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("\"failedInstructions\":1")) {
                throw new AssertionError("an instruction failed");
            }
        }
        return invocation;
    }

    private static String failure(InvocationFailed failed) {
        return switch (failed.failure()) {
            case OUT_OF_MEMORY -> "OOM-killed";
            case TIMED_OUT -> "timed out";
            case RESPONSE_TOO_LARGE -> "over 6 MB";
            case INIT_FAILED -> "init failed";
            default -> failed.failure().toString().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String millis(long nanos) {
        double ms = nanos / 1e6;
        return ms >= 100 ? String.format(Locale.ROOT, "%,.0f ms", ms) : String.format(Locale.ROOT, "%.1f ms", ms);
    }
}
