package dev.segments.web;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/** The one source of "now" for requests and expiries, so tests can move time. */
@ApplicationScoped
public class AppClock {

    private volatile Clock clock = Clock.systemUTC();

    public long millis() {
        return clock.millis();
    }

    /** For tests: replace the clock. */
    public void use(Clock replacement) {
        this.clock = replacement;
    }
}
