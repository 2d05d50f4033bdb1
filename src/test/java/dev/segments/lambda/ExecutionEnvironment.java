package dev.segments.lambda;

import dev.segments.testing.LambdaRuntime;
import dev.segments.testing.LambdaRuntime.Answer;
import dev.segments.testing.LambdaRuntime.Failure;
import dev.segments.testing.LambdaRuntime.InvocationFailed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One Lambda execution environment for the packaged function: its process in a {@link Cgroup}
 * of the memory size, polling a {@link LambdaRuntime} that holds it to the function timeout and
 * the payload cap. As on Lambda, the process starts on the first invocation (a cold start, which
 * must finish its init within {@link #INIT_LIMIT}), and after a timeout, an OOM kill or a crash
 * the next invocation starts a new one. Every such failure is thrown as an
 * {@link InvocationFailed} naming it; none is retried or hidden.
 */
public final class ExecutionEnvironment implements AutoCloseable {

    /** Lambda's limit on a function's init phase. */
    public static final Duration INIT_LIMIT = Duration.ofSeconds(10);
    /** The runtime fails an invocation at the function's timeout; this only bounds the wait for a lost answer. */
    private static final int ANSWER_WAIT_SECONDS = 16 * 60;

    /**
     * An answer, and when it came after a cold start, how long that took from process start to
     * the answer, and of that the init (process start to its first poll); both 0 when warm.
     */
    public record Invocation(Answer answer, long coldStartNanos, long initNanos) {
    }

    private final PackagedFunction function;
    private final int memoryMb;
    private final Path task;
    private final Path log;
    private final Cgroup cgroup;
    private final LambdaRuntime runtime;
    private final Map<String, String> environment = new HashMap<>();
    /** Processes the harness ended itself (stopped, or replaced after a timeout): their end is no failure. */
    private final Set<Process> ended = ConcurrentHashMap.newKeySet();
    private volatile Process process;
    /** Done once the last process's end has been dealt with (its invocations failed), so a new one never gets blamed. */
    private CompletableFuture<Void> exitHandled = CompletableFuture.completedFuture(null);
    private long oomKillsBefore;
    private long initNanos;
    private int coldStarts;

    /**
     * An environment for the function at {@code memoryMb} with the template's {@code timeout},
     * set up as the template deploys it (table, bootstrap token, rate limit) but with its store
     * at {@code storeEndpoint}; the function's output goes to {@code log}.
     */
    public ExecutionEnvironment(PackagedFunction function, int memoryMb, Duration timeout, String table, String storeEndpoint,
            String adminToken, int ratePerMinute, Path log) throws IOException {
        this.function = function;
        this.memoryMb = memoryMb;
        this.log = log;
        this.task = function.unpack(Files.createTempDirectory("lambda-task-"));
        Cgroup limits = null;
        try {
            limits = new Cgroup(memoryMb);
            this.runtime = new LambdaRuntime(timeout, this::timedOut);
        } catch (IOException | RuntimeException e) {
            if (limits != null) {
                limits.close();
            }
            delete(task);
            throw e;
        }
        this.cgroup = limits;
        environment.putAll(function.lambdaEnvironment(task, memoryMb));
        runtime.configure(environment, table, storeEndpoint, adminToken, ratePerMinute);
    }

    public int memoryMb() {
        return memoryMb;
    }

    /** One HTTP request through the function, starting it first if no process is running. */
    public synchronized Invocation send(String method, String path, Map<String, String> headers, String body) throws Exception {
        long cold = ensureStarted();
        Answer answer = runtime.send(method, path, headers, body, ANSWER_WAIT_SECONDS);
        return invocation(answer, cold);
    }

    /** One raw event (e.g. the schedule's sweep event) through the function. */
    public synchronized Invocation invoke(String event) throws Exception {
        long cold = ensureStarted();
        Answer answer = runtime.invoke(event, ANSWER_WAIT_SECONDS);
        return invocation(answer, cold);
    }

    private Invocation invocation(Answer answer, long startedAt) {
        return startedAt == 0 ? new Invocation(answer, 0, 0) : new Invocation(answer, System.nanoTime() - startedAt, initNanos);
    }

    /** Stops the process, so that the next invocation is a cold start. */
    public synchronized void stop() {
        end(process, new InvocationFailed(Failure.PROCESS_DIED, "stopped by the harness"));
    }

    public int coldStarts() {
        return coldStarts;
    }

    /** The most memory the function has used in this environment, over all its processes. */
    public long peakBytes() {
        return cgroup.peakBytes();
    }

    /** The CPU time the function's processes have used in this environment (ns), or -1 where it is not counted ({@link Cgroup#cpuNanos}). */
    public long cpuNanos() {
        return cgroup.cpuNanos();
    }

    /** Starts a process if none runs; returns when it started (System.nanoTime), or 0 if it was warm. */
    private long ensureStarted() throws Exception {
        if (process != null && process.isAlive() && !ended.contains(process)) {
            return 0;
        }
        if (process != null) {
            process.waitFor();
            exitHandled.join();
        }
        var ready = runtime.expectPoll();
        oomKillsBefore = cgroup.oomKills();
        long startedAt = System.nanoTime();
        Process started = cgroup.start(function.command(task, memoryMb), environment, log.toFile());
        process = started;
        coldStarts++;
        exitHandled = started.onExit().thenAccept(this::exited);
        long deadline = startedAt + INIT_LIMIT.toNanos();
        while (!ready.isDone() && started.isAlive() && System.nanoTime() < deadline) {
            try {
                ready.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                // keep waiting while the process lives and the limit allows
            } catch (ExecutionException e) {
                stop();
                throw e.getCause() instanceof InvocationFailed failed ? failed : e;
            }
        }
        if (!started.isAlive() && !ended.contains(started)) {
            started.waitFor();
            throw death(started);
        }
        if (!ready.isDone()) {
            stop();
            throw new InvocationFailed(Failure.INIT_FAILED, "the function did not finish its init within Lambda's "
                    + INIT_LIMIT.toSeconds() + " s at " + memoryMb + " MB; see " + log);
        }
        initNanos = System.nanoTime() - startedAt;
        return startedAt;
    }

    /** Lambda stops an environment whose invocation timed out; the next invocation starts a new one. */
    private void timedOut(InvocationFailed failure) {
        end(process, failure);
    }

    /** Ends a process on purpose: it is waited for, then any poll it left open is discarded. */
    private void end(Process running, InvocationFailed reason) {
        if (running == null) {
            return;
        }
        ended.add(running);
        try {
            running.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runtime.crashed(reason);
    }

    /** A process that ended by itself fails the invocations it had taken, naming why. */
    private void exited(Process gone) {
        if (!ended.contains(gone)) {
            runtime.crashed(death(gone));
        }
    }

    /** Why a process ended by itself: the OOM killer (the cgroup counted a kill), or something else. */
    private InvocationFailed death(Process gone) {
        long kills = cgroup.oomKills() - oomKillsBefore;
        if (kills > 0) {
            return new InvocationFailed(Failure.OUT_OF_MEMORY, "the kernel's OOM killer ended the function at its "
                    + memoryMb + " MB limit (peak " + peakBytes() / (1024 * 1024) + " MB); see " + log);
        }
        return new InvocationFailed(Failure.PROCESS_DIED, "the function process exited with " + gone.exitValue()
                + (gone.exitValue() == 137 ? " (SIGKILL)" : "") + "; see " + log);
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
            runtime.close();
        } finally {
            cgroup.close();
            delete(task);
        }
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
