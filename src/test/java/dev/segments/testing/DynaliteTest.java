package dev.segments.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The test store survives a client that gives up half-way through a request, as DynamoDB does:
 * an SDK attempt that times out on a loaded machine resets its connection, and dynalite on its
 * own would end the whole process there (and every later test with it).
 */
class DynaliteTest {

    @Test
    void aClientThatAbortsItsRequestDoesNotTakeTheServerDown() throws Exception {
        Dynalite.Server server = new Dynalite.Server(null);
        URI endpoint = URI.create(server.endpoint());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()));
            OutputStream out = socket.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n"
                    + "X-Amz-Target: DynamoDB_20120810.ListTables\r\n\r\n{\"Limit\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(200);
            socket.setSoLinger(true, 0);
        }
        Thread.sleep(500);
        // Still serving: an unsigned request gets DynamoDB's own refusal (a dead server refuses the connection).
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint)
                .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                .header("Content-Type", "application/x-amz-json-1.0")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(answer.body().contains("MissingAuthenticationTokenException"), answer.statusCode() + " " + answer.body());
    }
}
