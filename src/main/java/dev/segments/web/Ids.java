package dev.segments.web;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * New ids for projects, environments, tokens and schedules: 24 hex characters, the shape of
 * LaunchDarkly's ids. A bean rather than a static field, so that a native image seeds its
 * random source at run time rather than baking one seed in at build time.
 */
@ApplicationScoped
public class Ids implements Supplier<String> {

    private final SecureRandom random = new SecureRandom();

    @Override
    public String get() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
