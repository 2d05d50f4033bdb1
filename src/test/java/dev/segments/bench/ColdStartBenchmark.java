package dev.segments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segments.dynamo.Table;
import dev.segments.testing.Dynalite;
import dev.segments.testing.LambdaRuntime;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Cold start and memory of the packaged function, JVM and native back to back: from process
 * start to the first answered PATCH through the Lambda HTTP path, then resident memory after
 * 1,000 PATCHes. Needs target/quarkus-app (JVM) and target/*-runner (native); see the README.
 */
@Tag("benchmark")
class ColdStartBenchmark {

    static final String TOKEN = "api-00000000-0000-4000-8000-0000000000cb";
    static final String PATCH_TYPE = "application/json; domain-model=launchdarkly.semanticpatch";
    static final int PATCHES = 1000;

    record Figures(String build, long coldStartMillis, long rssKb, long peakRssKb) {
    }

    @Test
    void jvmAndNativeColdStartAndMemory() throws Exception {
        Path jvm = artifact("-runner.jar");
        Path nativeRunner = artifact("-runner");
        assumeTrue(jvm != null && nativeRunner != null, "build both first: see README, Benchmarks");

        String endpoint = Dynalite.startServer();
        String table = "coldstart-" + UUID.randomUUID().toString().substring(0, 8);
        try (DynamoDbClient db = DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            new Table(db, table, true).ensureExists();
        }
        // As AWS's java21 runtime does: its runtime interface client hosts the handler class.
        String runtimeClient = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("aws-lambda-java-runtime-interface-client") || entry.contains("aws-lambda-java-serialization"))
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
        List<String> javaCommand = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jvm + File.pathSeparator + runtimeClient,
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest");
        List<String> nativeCommand = List.of(nativeRunner.toString());
        seed(javaCommand, endpoint, table);
        List<Figures> figures = new ArrayList<>();
        figures.add(measure("JVM", javaCommand, endpoint, table));
        figures.add(measure("native", nativeCommand, endpoint, table));

        Figures j = figures.get(0);
        Figures n = figures.get(1);
        System.out.printf("%nBENCHMARK cold start (process start -> first answered PATCH) and resident memory after %d PATCHes%n", PATCHES);
        System.out.printf("| build | cold start | RSS after %d PATCHes | peak RSS |%n|---|---|---|---|%n", PATCHES);
        for (Figures f : figures) {
            System.out.printf("| %s | %d ms | %.1f MB | %.1f MB |%n", f.build(), f.coldStartMillis(), f.rssKb() / 1024.0, f.peakRssKb() / 1024.0);
        }
        System.out.printf("| JVM / native | %.1fx | %.1fx | %.1fx |%n%n", (double) j.coldStartMillis() / n.coldStartMillis(),
                (double) j.rssKb() / n.rssKb(), (double) j.peakRssKb() / n.peakRssKb());
    }

    private static Path artifact(String suffix) throws java.io.IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
        }
    }

    private static void seed(List<String> command, String endpoint, String table) throws Exception {
        try (LambdaRuntime runtime = new LambdaRuntime()) {
            Process process = start(command, runtime, endpoint, table);
            try {
                call(runtime, "POST", "/api/v2/projects", "application/json",
                        "{\"key\":\"bench\",\"name\":\"Bench\",\"environments\":[{\"key\":\"prod\",\"name\":\"Prod\",\"color\":\"000000\"}]}", 201);
                call(runtime, "POST", "/api/v2/segments/bench/prod", "application/json", "{\"key\":\"seg\",\"name\":\"Seg\"}", 201);
                StringBuilder users = new StringBuilder();
                for (int i = 0; i < 10; i++) {
                    users.append(i == 0 ? "" : ",").append("\"u").append(i).append('"');
                }
                call(runtime, "PATCH", "/api/v2/segments/bench/prod/seg", PATCH_TYPE,
                        "{\"environmentKey\":\"prod\",\"instructions\":[{\"kind\":\"addIncludedUsers\",\"values\":[" + users + "]}]}", 200);
            } finally {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static Figures measure(String build, List<String> command, String endpoint, String table) throws Exception {
        try (LambdaRuntime runtime = new LambdaRuntime()) {
            long started = System.nanoTime();
            Process process = start(command, runtime, endpoint, table);
            try {
                schedule(runtime, 0);
                long coldStart = (System.nanoTime() - started) / 1_000_000;
                for (int i = 1; i <= PATCHES; i++) {
                    schedule(runtime, i);
                }
                Map<String, Long> memory = memory(process.pid());
                return new Figures(build, coldStart, memory.get("VmRSS"), memory.get("VmHWM"));
            } finally {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** One PATCH: schedules, then cancels, the removal of one of the ten users, so every call changes the segment. */
    private static void schedule(LambdaRuntime runtime, int i) throws Exception {
        String user = "u" + (i % 10);
        String instruction = (i / 10) % 2 == 0
                ? "{\"kind\":\"addExpireUserTargetDate\",\"targetType\":\"included\",\"userKey\":\"" + user + "\",\"value\":"
                        + (System.currentTimeMillis() + 86_400_000L) + "}"
                : "{\"kind\":\"removeExpireUserTargetDate\",\"targetType\":\"included\",\"userKey\":\"" + user + "\"}";
        call(runtime, "PATCH", "/api/v2/segments/bench/seg/expiring-user-targets/prod", PATCH_TYPE,
                "{\"instructions\":[" + instruction + "]}", 200);
    }

    private static JsonNode call(LambdaRuntime runtime, String method, String path, String type, String body, int status) throws Exception {
        JsonNode response = runtime.call(method, path, TOKEN, type, body);
        assertEquals(status, response.get("statusCode").asInt(), response.toString());
        return response;
    }

    private static Process start(List<String> command, LambdaRuntime runtime, String endpoint, String table) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/cold-start.log")));
        Map<String, String> env = builder.environment();
        // Rate limiting stays on, as deployed, with room for the 1,000 PATCHes.
        runtime.configure(env, table, endpoint, TOKEN, 100_000);
        return builder.start();
    }

    private static Map<String, Long> memory(long pid) throws Exception {
        Map<String, Long> values = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            String[] parts = line.split("\\s+");
            if (parts[0].equals("VmRSS:") || parts[0].equals("VmHWM:")) {
                values.put(parts[0].substring(0, parts[0].length() - 1), Long.parseLong(parts[1]));
            }
        }
        return values;
    }
}
