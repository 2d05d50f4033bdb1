package dev.segments.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The request and sweep lines (EMF documents) the service writes, which the test profile keeps in a file. */
public final class ServiceLines {

    /** The test profile's file for the segments.metrics log category. */
    public static final Path LOG = Path.of("target", "metrics-test.log");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceLines() {
    }

    /** Where the file ends now: lines written later start there. */
    public static long end() {
        return LOG.toFile().length();
    }

    /** JSON documents of one event kind ({@code request}, {@code sweep}) written since {@code from}. */
    public static List<JsonNode> since(long from, String event) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (String line : textSince(from).split("\n")) {
            if (!line.isBlank()) {
                JsonNode node = JSON.readTree(line);
                if (event.equals(node.path("event").asText())) {
                    found.add(node);
                }
            }
        }
        return found;
    }

    public static String textSince(long from) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(LOG.toFile(), "r")) {
            file.seek(from);
            byte[] bytes = new byte[(int) (file.length() - from)];
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
