package dev.segments.ops;

import com.amazonaws.services.lambda.runtime.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where deadlines come from. In Lambda, an invocation ends at the deadline the Runtime API
 * gives with it (the function's timeout, 15 s in template.yaml, after it started), less a
 * margin for turning the outcome into an answer. Elsewhere (local runs, tests, work outside a
 * request) there is no such deadline, and a configured budget stands in for it.
 */
@ApplicationScoped
public class Deadlines {

    /** Lambda's longest timeout: a remaining time above it is not a real deadline. */
    private static final long LAMBDA_MAX_MILLIS = 900_000;

    private final Duration margin;
    private final Duration budget;

    public Deadlines(@ConfigProperty(name = "segments.deadline.margin") Duration margin,
            @ConfigProperty(name = "segments.deadline.budget") Duration budget) {
        this.margin = margin;
        this.budget = budget;
    }

    /** The deadline of the work on this thread: bound to it, the request's, or a fresh budget. */
    public Deadline current() {
        return Deadline.current().orElseGet(() -> Deadline.after(budget));
    }

    /**
     * The deadline of an invocation with this Lambda context. Quarkus' local event server hands
     * out a context with neither a deadline nor a function ARN (Lambda always sends both), so
     * only a context with an ARN and a plausible remaining time counts.
     */
    Deadline of(Context lambda) {
        if (lambda != null && lambda.getInvokedFunctionArn() != null) {
            long remaining = lambda.getRemainingTimeInMillis();
            if (remaining > 0 && remaining <= LAMBDA_MAX_MILLIS) {
                return Deadline.after(Duration.ofMillis(Math.max(0, remaining - margin.toMillis())));
            }
        }
        return Deadline.after(budget);
    }
}
