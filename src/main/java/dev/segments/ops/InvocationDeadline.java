package dev.segments.ops;

import com.amazonaws.services.lambda.runtime.Context;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The running HTTP request's deadline, taken from its Lambda invocation when the request
 * arrives. Other work with a request context (a test method, startup) has none of its own.
 */
// Looked up by Deadline.current(), never injected elsewhere: kept from Arc's removal of unused beans.
@Unremovable
@RequestScoped
public class InvocationDeadline {

    @Inject
    Deadlines deadlines;

    @Inject
    Instance<Context> lambda;

    // Read through methods only: callers hold a client proxy, whose own fields are not these.
    private Deadline deadline;
    private long budgetMillis;

    void start() {
        try {
            deadline = deadlines.of(lambda.get());
        } catch (RuntimeException notFromLambda) {
            // no Lambda invocation behind this request (a local run)
            deadline = deadlines.of(null);
        }
        budgetMillis = deadline.remainingMillis();
    }

    Optional<Deadline> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** The time the request had, from its start to its deadline; 0 if it has none. */
    long budgetMillis() {
        return budgetMillis;
    }

    /** Starts each request's deadline before routing and authentication, so that their time counts. */
    public static class Start {

        @Inject
        InvocationDeadline deadline;

        @ServerRequestFilter(preMatching = true, priority = 0)
        public void start() {
            deadline.start();
        }
    }
}
