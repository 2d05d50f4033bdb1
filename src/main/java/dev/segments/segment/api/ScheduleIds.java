package dev.segments.segment.api;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Supplier;

/** Ids for new schedules: 24 hex characters, the shape of LaunchDarkly's ids. */
final class ScheduleIds implements Supplier<String> {

    static final ScheduleIds INSTANCE = new ScheduleIds();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String get() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
