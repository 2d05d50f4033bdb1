package dev.segments.testing;

import dev.segments.dynamo.Table;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * A real DynamoDB-compatible server for the tests: dynalite, installed by the build from
 * package-lock.json, on a free loopback port. The application talks to it over HTTP through the
 * same SDK client as in production. The tests share one in-memory server; a test that must kill
 * the store and start it again uses its own {@link Server} with its data on disk.
 */
public class Dynalite implements QuarkusTestResourceLifecycleManager {

    private static Server shared;

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.dynamodb.endpoint-override", startServer());
    }

    @Override
    public void stop() {
        // One server serves the whole run; it ends with the JVM.
    }

    public static synchronized String startServer() {
        if (shared == null) {
            shared = new Server(null);
        }
        return shared.endpoint();
    }

    /** A new, empty table of the service's layout on the shared server, named from {@code prefix}; its name. */
    public static String newTable(String prefix) {
        String table = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (DynamoDbClient db = client(startServer()).build()) {
            new Table(db, table, true).ensureExists();
        }
        return table;
    }

    /** A client of the store at {@code endpoint} for a test's own reads and writes, as the service's: dummy credentials, the same HTTP client. */
    public static DynamoDbClientBuilder client(String endpoint) {
        return DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create());
    }

    /** One dynalite process; with a data directory its data survives {@link #kill} and {@link #restart}. */
    public static final class Server {
        private final int port = freePort();
        private final Path data;
        private Process process;

        public Server(Path data) {
            this.data = data;
            launch();
            Runtime.getRuntime().addShutdownHook(new Thread(this::destroy));
        }

        public String endpoint() {
            return "http://127.0.0.1:" + port;
        }

        /** Kills the server at once (SIGKILL), as a crash or an outage would. */
        public synchronized void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        /** Starts the server again on the same port with the same data. */
        public synchronized void restart() {
            launch();
        }

        private void destroy() {
            process.destroy();
            if (data != null) {
                try (var files = Files.walk(data)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                } catch (IOException ignored) {
                    // only cleanup
                }
            }
        }

        private void launch() {
            Path cli = Path.of("node_modules", "dynalite", "cli.js");
            if (!Files.exists(cli)) {
                throw new IllegalStateException("dynalite is not installed: run ./mvnw verify (it runs npm ci) or npm ci");
            }
            // Through scripts/dynalite.js, which keeps dynalite up when a client aborts a request.
            var command = new java.util.ArrayList<>(java.util.List.of("node", Path.of("scripts", "dynalite.js").toString(), "--host", "127.0.0.1",
                    "--port", Integer.toString(port), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"));
            try {
                if (data != null) {
                    Files.createDirectories(data);
                    command.addAll(java.util.List.of("--path", data.toString()));
                }
                process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/dynalite.log")))
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("Could not start dynalite with node", e);
            }
            awaitPort();
        }

        private void awaitPort() {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return;
                } catch (IOException notYet) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("dynalite exited; see target/dynalite.log");
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
            }
            throw new IllegalStateException("dynalite did not open port " + port);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
