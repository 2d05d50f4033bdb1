package dev.segments.expiry;

import dev.segments.ops.Deadlines;
import dev.segments.project.LeftoverCleanup;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the sweeper in-process every {@code segments.sweeper.interval} (local runs and tests),
 * and with it a step of the cleanup of deleted environments, within one deadline, as a deployed
 * sweep invocation does.
 * Deployed, a Lambda is frozen between invocations, so a schedule invokes the function instead
 * and this stays off (interval 0).
 */
@ApplicationScoped
public class LocalSweeper {

    private static final Logger LOG = Logger.getLogger(LocalSweeper.class);

    private final Sweeper sweeper;
    private final LeftoverCleanup cleanup;
    private final Deadlines deadlines;
    private final Duration interval;
    private ScheduledExecutorService executor;

    LocalSweeper(Sweeper sweeper, LeftoverCleanup cleanup, Deadlines deadlines,
            @ConfigProperty(name = "segments.sweeper.interval", defaultValue = "0s") Duration interval) {
        this.sweeper = sweeper;
        this.cleanup = cleanup;
        this.deadlines = deadlines;
        this.interval = interval;
    }

    void onStart(@Observes StartupEvent event) {
        if (!interval.isZero()) {
            start();
        }
    }

    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "expiry-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(100, (interval.isZero() ? Duration.ofSeconds(5) : interval).toMillis());
        executor.scheduleWithFixedDelay(this::sweepOnce, 0, millis, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    /** One sweep and one cleanup step within one deadline, as a deployed sweep invocation has. */
    private void sweepOnce() {
        deadlines.current().bind(() -> {
            sweepAndClean();
            return null;
        });
    }

    private void sweepAndClean() {
        try {
            sweeper.sweep();
        } catch (RuntimeException e) {
            LOG.warnf("Sweep failed, retrying in %s: %s", interval, e.getMessage());
        }
        try {
            cleanup.run();
        } catch (RuntimeException e) {
            LOG.warnf("Cleanup of deleted environments failed, retrying in %s: %s", interval, e.getMessage());
        }
    }
}
