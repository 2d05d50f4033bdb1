package dev.segments.lambda;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The deployment package, {@code function.zip}, started as Lambda's runtimes start it: the
 * native build's {@code bootstrap} as {@code provided.al2023} runs it, the JVM build under AWS's
 * runtime interface client with the JVM options of the {@code java21} runtime (heap 85% of the
 * memory size, serial GC, C1 only), its classes and {@code lib/} on the class path.
 */
public record PackagedFunction(Build build, Path zip) {

    public enum Build {
        NATIVE, JVM;

        public String label() {
            return this == NATIVE ? "native" : "JVM";
        }
    }

    /** The handler the template names for the JVM build. */
    static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

    /** A package, telling the build by its content: a native package holds {@code bootstrap}. */
    public static PackagedFunction of(Path zip) {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: build the function first (see the README, Performance)");
        }
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return new PackagedFunction(file.getEntry("bootstrap") != null ? Build.NATIVE : Build.JVM, zip);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + zip, e);
        }
    }

    /**
     * Unpacks the package into {@code task} (Lambda's /var/task) and drops the unpacked files
     * from the page cache, so that the function's own reads of them are charged to its memory
     * cgroup, as on Lambda, and not to this process's.
     */
    public Path unpack(Path task) throws IOException {
        Files.createDirectories(task);
        List<Path> files = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path target = task.resolve(entry.getName()).normalize();
                if (!target.startsWith(task)) {
                    throw new IOException("unsafe entry in " + zip + ": " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, target);
                }
                try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                files.add(target);
            }
        }
        if (build == Build.NATIVE) {
            task.resolve("bootstrap").toFile().setExecutable(true);
        }
        dropFromPageCache(files);
        return task;
    }

    /** The command Lambda's runtime would run for a function of {@code memoryMb}. */
    public List<String> command(Path task, int memoryMb) {
        if (build == Build.NATIVE) {
            // A native image sizes its heap at 80% of the memory it sees: in Lambda's microVM, the
            // function's memory size. It does not see this harness's cgroup (the shared builder's
            // image reads no cgroup limits), so the harness says it, as the image would have found it.
            return List.of(task.resolve("bootstrap").toString(), "-Xmx" + memoryMb * 8 / 10 + "m");
        }
        // AWS's java21 runtime: the runtime interface client hosts the handler (here from the test class path).
        String runtimeClient = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("aws-lambda-java-runtime-interface-client") || entry.contains("aws-lambda-java-serialization"))
                .collect(Collectors.joining(File.pathSeparator));
        long heapKb = Math.round(memoryMb * 1024 * 0.85);
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxHeapSize=" + heapKb + "k", "-XX:+UseSerialGC", "-Xshare:auto",
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Djava.net.preferIPv4Stack=true",
                "-classpath", task + File.pathSeparator + task.resolve("lib") + File.separator + "*" + File.pathSeparator + runtimeClient,
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", HANDLER);
    }

    /** What Lambda puts in every function's environment, besides the function's own variables. */
    public Map<String, String> lambdaEnvironment(Path task, int memoryMb) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_LAMBDA_FUNCTION_NAME", "segment-targets-shape");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("LAMBDA_TASK_ROOT", task.toString());
        env.put("_HANDLER", build == Build.NATIVE ? "not.used.in.provided.runtime" : HANDLER);
        env.put("TZ", ":UTC");
        // As the template sets it for the native build.
        env.put("DISABLE_SIGNAL_HANDLERS", "true");
        return env;
    }

    /** GNU dd's documented way to drop a file's cached pages: {@code iflag=nocache count=0}. */
    private static void dropFromPageCache(List<Path> files) throws IOException {
        for (Path file : files) {
            Process dd = new ProcessBuilder("dd", "if=" + file, "iflag=nocache", "count=0", "status=none")
                    .redirectErrorStream(true).start();
            try {
                String output = new String(dd.getInputStream().readAllBytes());
                if (dd.waitFor() != 0) {
                    throw new IOException("dd could not drop " + file + " from the page cache: " + output);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }
}
