package dev.segments.lambda;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Lambda's limits on one function process, with Linux control groups (v1): a memory cgroup
 * whose hard limit is the function's memory size (past it the kernel's OOM killer ends the
 * process, as Lambda does), and a CPU cgroup whose CFS quota gives the share of one core that
 * Lambda gives that memory size (1,769 MB buys one vCPU). Both are children of the cgroups this
 * JVM is in, read from /proc/self/cgroup at run time, and are removed on {@link #close}. Where the
 * cpuacct controller is mounted on its own, a third cgroup there counts the CPU time the
 * processes use ({@link #cpuNanos}); co-mounted with cpu, the CPU cgroup counts it.
 *
 * <p>Making them needs root and writable v1 controllers; where that is not so, the constructor
 * fails with the reason rather than letting a run pass without the limits.
 */
public final class Cgroup implements AutoCloseable {

    /** Lambda gives one full vCPU at this memory size, and CPU in proportion below it. */
    public static final int MB_PER_VCPU = 1_769;
    static final long CFS_PERIOD_US = 100_000;

    private final int memoryMb;
    private final Path memory;
    private final Path cpu;
    /** Where the CPU time used is counted: the CPU cgroup, a cgroup of its own, or null without the controller. */
    private final Path cpuacct;

    public Cgroup(int memoryMb) {
        this.memoryMb = memoryMb;
        String name = "lambda-shape-" + memoryMb + "mb-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            memory = Files.createDirectory(hierarchy("memory").resolve(name));
            cpu = Files.createDirectory(hierarchy("cpu").resolve(name));
            write(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryMb * 1024L * 1024L));
            if (Files.exists(memory.resolve("memory.memsw.limit_in_bytes"))) {
                // No swap beyond the limit either: Lambda has none.
                write(memory.resolve("memory.memsw.limit_in_bytes"), Long.toString(memoryMb * 1024L * 1024L));
            }
            write(cpu.resolve("cpu.cfs_period_us"), Long.toString(CFS_PERIOD_US));
            write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(quotaMicros(memoryMb)));
            cpuacct = accounting(name);
        } catch (IOException | RuntimeException e) {
            close();
            throw new IllegalStateException("The Lambda-shape harness needs to create cgroup v1 memory and cpu cgroups (as root) "
                    + "to hold the function to " + memoryMb + " MB and its CPU share, and could not: " + e, e);
        }
    }

    private Path accounting(String name) throws IOException {
        Path hierarchy;
        try {
            hierarchy = hierarchy("cpuacct");
        } catch (IOException notMounted) {
            return null;
        }
        return hierarchy.equals(cpu.getParent()) ? cpu : Files.createDirectory(hierarchy.resolve(name));
    }

    /** The CFS quota per {@link #CFS_PERIOD_US} for a memory size: memory / 1,769 of one core. */
    static long quotaMicros(int memoryMb) {
        return Math.max(1_000, Math.round(CFS_PERIOD_US * memoryMb / (double) MB_PER_VCPU));
    }

    public int memoryMb() {
        return memoryMb;
    }

    /**
     * Starts {@code command} inside the cgroups: a shell puts itself in them first, then
     * becomes the command, so the function does no work outside its limits.
     */
    public Process start(List<String> command, Map<String, String> environment, File log) throws IOException {
        List<String> wrapped = new ArrayList<>(Arrays.asList("/bin/sh", "-c",
                "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 1; shift; done; shift; exec \"$@\"", "lambda-shape"));
        for (Path group : directories()) {
            wrapped.add(group.resolve("cgroup.procs").toString());
        }
        wrapped.add("--");
        wrapped.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(wrapped).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** The most memory the processes in it have used (the kernel's high-water mark, page cache included). */
    public long peakBytes() {
        return Long.parseLong(read(memory.resolve("memory.max_usage_in_bytes")));
    }

    /** How many times the kernel's OOM killer has killed a process in it. */
    public long oomKills() {
        for (String line : read(memory.resolve("memory.oom_control")).split("\n")) {
            if (line.startsWith("oom_kill ")) {
                return Long.parseLong(line.substring("oom_kill ".length()).strip());
            }
        }
        // Kernels before 4.13 lack the counter: count how often the limit was hit instead.
        return Long.parseLong(read(memory.resolve("memory.failcnt")));
    }

    /** How many CFS periods the quota held the processes back: more than 0 once they wanted more CPU than their share. */
    public long throttledPeriods() {
        for (String line : read(cpu.resolve("cpu.stat")).split("\n")) {
            if (line.startsWith("nr_throttled ")) {
                return Long.parseLong(line.substring("nr_throttled ".length()).strip());
            }
        }
        throw new IllegalStateException("no nr_throttled in " + cpu.resolve("cpu.stat"));
    }

    /**
     * The CPU time the processes in it have used, in nanoseconds (cpuacct.usage), or -1 where
     * the cpuacct controller is not mounted.
     */
    public long cpuNanos() {
        return cpuacct == null ? -1 : Long.parseLong(read(cpuacct.resolve("cpuacct.usage")));
    }

    /** The cgroups' directories, while they exist. */
    List<Path> directories() {
        return cpuacct == null || cpuacct.equals(cpu) ? List.of(memory, cpu) : List.of(memory, cpu, cpuacct);
    }

    /** Removes the cgroups; the processes in them must have ended. */
    @Override
    public void close() {
        for (Path group : new Path[] {memory, cpu, cpuacct}) {
            if (group == null) {
                continue;
            }
            for (int attempt = 0; attempt < 50 && Files.exists(group); attempt++) {
                // A cgroup directory is removed with rmdir; its control files are not real files.
                if (!group.toFile().delete()) {
                    sleep(100);
                }
            }
            if (Files.exists(group)) {
                System.err.println("Lambda-shape harness: could not remove cgroup " + group + "; remove it with rmdir");
            }
        }
    }

    /** Where this process's cgroup of {@code controller} is, from /proc/self/cgroup and the mount table. */
    static Path hierarchy(String controller) throws IOException {
        String own = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] fields = line.split(":", 3);
            if (fields.length == 3 && Arrays.asList(fields[1].split(",")).contains(controller)) {
                own = fields[2];
            }
        }
        if (own == null) {
            throw new IOException("/proc/self/cgroup names no cgroup v1 hierarchy with the " + controller
                    + " controller (a cgroup v2-only machine?)");
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] sides = line.split(" - ", 2);
            String[] mount = sides[0].split(" ");
            String[] source = sides.length == 2 ? sides[1].split(" ") : new String[0];
            if (source.length >= 3 && source[0].equals("cgroup") && Arrays.asList(source[2].split(",")).contains(controller)) {
                String root = mount[3];
                String relative = root.equals("/") ? own : own.startsWith(root) ? own.substring(root.length()) : null;
                if (relative != null) {
                    Path path = Path.of(mount[4], relative);
                    if (!Files.isDirectory(path)) {
                        throw new IOException(path + " (this process's " + controller + " cgroup) does not exist");
                    }
                    return path;
                }
            }
        }
        throw new IOException("no cgroup v1 mount of the " + controller + " controller holds " + own);
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
