package dev.segments.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real DynamoDB-compatible server for the tests: dynalite, in memory, on a free loopback port,
 * installed by the build from package-lock.json. The application talks to it over HTTP through
 * the same SDK client as in production.
 */
public class Dynalite implements QuarkusTestResourceLifecycleManager {

    private static Process process;
    private static String endpoint;

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.dynamodb.endpoint-override", startServer());
    }

    @Override
    public void stop() {
        // One server serves the whole run; it ends with the JVM.
    }

    public static synchronized String startServer() {
        if (process != null && process.isAlive()) {
            return endpoint;
        }
        Path cli = Path.of("node_modules", "dynalite", "cli.js");
        if (!Files.exists(cli)) {
            throw new IllegalStateException("dynalite is not installed: run ./mvnw verify (it runs npm ci) or npm ci");
        }
        int port = freePort();
        try {
            process = new ProcessBuilder("node", cli.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
                    .redirectErrorStream(true)
                    .redirectOutput(new File("target/dynalite.log"))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start dynalite with node", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        awaitPort(port);
        endpoint = "http://127.0.0.1:" + port;
        return endpoint;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitPort(int port) {
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
