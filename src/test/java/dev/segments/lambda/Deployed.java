package dev.segments.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.segments.lambda.PackagedFunction.Build;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** The function's settings as template.yaml deploys them, so the harness runs what is deployed. */
final class Deployed {

    private Deployed() {
    }

    /** The memory size the template gives a build ({@code MemorySize: {Fn::If: [IsNative, native, jvm]}}). */
    static int memoryMb(Build build) {
        JsonNode memory = function().get("MemorySize");
        return (memory.isInt() ? memory : memory.get("Fn::If").get(build == Build.NATIVE ? 1 : 2)).asInt();
    }

    /** The function timeout the template sets. */
    static Duration timeout() {
        return Duration.ofSeconds(function().get("Timeout").asInt());
    }

    /** The template's default for a parameter, e.g. {@code RateLimitPerMinute}. */
    static int parameter(String name) {
        return template().get("Parameters").get(name).get("Default").asInt();
    }

    private static JsonNode function() {
        return template().get("Resources").get("Function").get("Properties");
    }

    private static JsonNode template() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(Path.of("template.yaml").toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read template.yaml", e);
        }
    }
}
