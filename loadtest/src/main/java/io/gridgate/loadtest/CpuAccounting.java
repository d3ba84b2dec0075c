package io.gridgate.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads CPU time from Linux {@code /proc}: per process, to charge a proxy (and the generator with the backend) for
 * their work per request, and per core, to show how busy the pinned cores were and whether anything else ran there.
 *
 * <p>Process time is what {@code /proc/<pid>/stat} reports as utime + stime, which the kernel scales to the
 * process's exact run time; per-core busy time from {@code /proc/stat} cannot tell whose work it was once several
 * processes share a core, so it is used only to find time that belongs to none of ours.
 */
final class CpuAccounting {

    /** USER_HZ: /proc reports in these ticks whatever the kernel's HZ; 100 on every mainstream Linux build. */
    private static final long TICKS_PER_SECOND = 100;
    private static final long NANOS_PER_TICK = TimeUnit.SECONDS.toNanos(1) / TICKS_PER_SECOND;

    private CpuAccounting() {
    }

    /**
     * Counters at one instant, to subtract from a later one.
     *
     * @param loadCore ticks of the load core; null when unpinned or unreadable
     * @param proxyCore ticks of the proxy core (the same reading as {@code loadCore} in one-CPU mode)
     * @param selfNanos this JVM alone: generator and backend
     * @param childrenNanos every process this JVM started: all proxies, whether measured right now or idle
     * @param targetNanos the measured proxy's process tree; empty for direct
     */
    record Snapshot(CoreTicks loadCore, CoreTicks proxyCore, OptionalLong selfNanos, OptionalLong childrenNanos,
            OptionalLong targetNanos) {
    }

    static Snapshot snapshot(Target target, CpuPinning pinning) {
        CoreTicks load = pinning.enabled() ? coreTicks(pinning.loadCpu()) : null;
        CoreTicks proxy = pinning.mode() == CpuPinning.Mode.SPLIT ? coreTicks(pinning.proxyCpu()) : load;
        ProcessHandle self = ProcessHandle.current();
        return new Snapshot(load, proxy, processNanos(self), processesNanos(self.descendants().toList()),
                target.cpuNanos());
    }

    /** What happened between two snapshots taken with the same {@code pinning}. */
    static CoreUsage between(Snapshot before, Snapshot after, CpuPinning pinning) {
        double loadNanos = delta(before.selfNanos(), after.selfNanos());
        double proxyNanos = delta(before.targetNanos(), after.targetNanos());
        if (!pinning.enabled() || before.loadCore() == null || after.loadCore() == null
                || before.proxyCore() == null || after.proxyCore() == null) {
            return new CoreUsage(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, loadNanos,
                    proxyNanos);
        }
        double childrenNanos = delta(before.childrenNanos(), after.childrenNanos());
        double loadBusy = after.loadCore().busySince(before.loadCore());
        double proxyBusy = after.proxyCore().busySince(before.proxyCore());
        double loadElapsed = after.loadCore().elapsedNanosSince(before.loadCore());
        double proxyElapsed = after.proxyCore().elapsedNanosSince(before.proxyCore());
        if (pinning.mode() == CpuPinning.Mode.ONE_CPU) {
            double foreign = foreign(loadBusy, (loadNanos + childrenNanos) / loadElapsed);
            return new CoreUsage(loadBusy, loadBusy, foreign, foreign, foreign, foreign, loadNanos, proxyNanos);
        }
        double loadForeign = foreign(loadBusy, loadNanos / loadElapsed);
        double proxyForeign = foreign(proxyBusy, childrenNanos / proxyElapsed);
        return new CoreUsage(loadBusy, proxyBusy, loadForeign, proxyForeign, loadForeign, proxyForeign, loadNanos,
                proxyNanos);
    }

    /** User plus system CPU time used so far by {@code root} and its live descendants (nginx master and worker). */
    static OptionalLong processTreeNanos(ProcessHandle root) {
        return processesNanos(Stream.concat(Stream.of(root), root.descendants()).toList());
    }

    /** User plus system CPU time used so far by {@code process} alone (all its threads, none of its children). */
    static OptionalLong processNanos(ProcessHandle process) {
        return processesNanos(List.of(process));
    }

    private static OptionalLong processesNanos(List<ProcessHandle> processes) {
        long ticks = 0;
        for (ProcessHandle p : processes) {
            OptionalLong t = processTicks(p.pid());
            if (t.isEmpty()) {
                return OptionalLong.empty();
            }
            ticks += t.getAsLong();
        }
        return OptionalLong.of(ticks * NANOS_PER_TICK);
    }

    /** The part of a core's busy share not explained by {@code ours}; rounding to ticks can make it negative. */
    private static double foreign(double busy, double ours) {
        return Math.max(0, busy - ours);
    }

    /** Busy and total ticks of one core from /proc/stat, or null if that core is not listed. */
    static CoreTicks coreTicks(int cpu) {
        try {
            String prefix = "cpu" + cpu + " ";
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith(prefix)) {
                    return CoreTicks.parse(line);
                }
            }
        } catch (IOException e) {
            // Not Linux, or /proc hidden: the report shows the figure as unknown rather than failing the run.
        }
        return null;
    }

    private static double delta(OptionalLong before, OptionalLong after) {
        return before.isPresent() && after.isPresent() ? after.getAsLong() - before.getAsLong() : Double.NaN;
    }

    private static OptionalLong processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces and parentheses; fields are counted after its last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // After the name: state(3) ... utime(14) stime(15), i.e. indexes 11 and 12 here.
            return OptionalLong.of(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** A core's cumulative busy and total ticks; the difference of two snapshots gives its utilisation. */
    record CoreTicks(long busy, long total) {

        static CoreTicks parse(String line) {
            List<String> f = List.of(line.trim().split("\\s+"));
            // user nice system idle iowait irq softirq steal; idle and iowait are the not-busy ones.
            long total = 0;
            for (int i = 1; i < Math.min(f.size(), 9); i++) {
                total += Long.parseLong(f.get(i));
            }
            long idle = Long.parseLong(f.get(4)) + Long.parseLong(f.get(5));
            return new CoreTicks(total - idle, total);
        }

        /** Wall time that passed on this core between {@code earlier} and this snapshot. */
        double elapsedNanosSince(CoreTicks earlier) {
            return (total - earlier.total) * (double) NANOS_PER_TICK;
        }

        /** Share of time busy between {@code earlier} and this snapshot, 0..1, or NaN without elapsed ticks. */
        double busySince(CoreTicks earlier) {
            long total = this.total - earlier.total;
            return total > 0 ? (double) (busy - earlier.busy) / total : Double.NaN;
        }
    }
}
