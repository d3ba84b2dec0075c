package io.gridgate.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads CPU time from Linux {@code /proc}: per process tree, to charge a proxy for its work per request, and per
 * core, to show which side of the pinned setup was the bottleneck and whether anything else ran there.
 */
final class CpuAccounting {

    /** USER_HZ: /proc reports in these ticks whatever the kernel's HZ; 100 on every mainstream Linux build. */
    private static final long TICKS_PER_SECOND = 100;
    private static final long NANOS_PER_TICK = TimeUnit.SECONDS.toNanos(1) / TICKS_PER_SECOND;

    private CpuAccounting() {
    }

    /** Counters at one instant, to subtract from a later one. */
    record Snapshot(CoreTicks loadCore, CoreTicks proxyCore, OptionalLong ownNanos, OptionalLong proxyNanos) {
    }

    static Snapshot snapshot(Target target) {
        return new Snapshot(coreTicks(CpuPinning.LOAD_CPU), coreTicks(CpuPinning.PROXY_CPU),
                processTreeNanos(ProcessHandle.current()), target.cpuNanos());
    }

    /** What happened between two snapshots; per-core attribution only makes sense when {@code pinned}. */
    static CoreUsage between(Snapshot before, Snapshot after, boolean pinned) {
        double proxyNanos = delta(before.proxyNanos(), after.proxyNanos());
        if (before.loadCore() == null || after.loadCore() == null || before.proxyCore() == null
                || after.proxyCore() == null) {
            return new CoreUsage(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, proxyNanos);
        }
        double loadBusy = after.loadCore().busySince(before.loadCore());
        double proxyBusy = after.proxyCore().busySince(before.proxyCore());
        if (!pinned) {
            return new CoreUsage(loadBusy, proxyBusy, Double.NaN, Double.NaN, Double.NaN, Double.NaN, proxyNanos);
        }
        double loadElapsed = (after.loadCore().total() - before.loadCore().total()) * (double) NANOS_PER_TICK;
        double proxyElapsed = (after.proxyCore().total() - before.proxyCore().total()) * (double) NANOS_PER_TICK;
        double ownShare = delta(before.ownNanos(), after.ownNanos()) / loadElapsed;
        double proxyShare = Double.isNaN(proxyNanos) ? 0 : proxyNanos / proxyElapsed;
        double loadForeign = Math.max(0, loadBusy - ownShare);
        double proxyForeign = Math.max(0, proxyBusy - proxyShare);
        return new CoreUsage(loadBusy, proxyBusy, loadForeign, proxyForeign, loadForeign, proxyForeign, proxyNanos);
    }

    /** User plus system CPU time used so far by {@code root} and its live descendants (nginx master and worker). */
    static OptionalLong processTreeNanos(ProcessHandle root) {
        long ticks = 0;
        for (ProcessHandle p : Stream.concat(Stream.of(root), root.descendants()).toList()) {
            OptionalLong t = processTicks(p.pid());
            if (t.isEmpty()) {
                return OptionalLong.empty();
            }
            ticks += t.getAsLong();
        }
        return OptionalLong.of(ticks * NANOS_PER_TICK);
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

        /** Share of time busy between {@code earlier} and this snapshot, 0..1, or NaN without elapsed ticks. */
        double busySince(CoreTicks earlier) {
            long total = this.total - earlier.total;
            return total > 0 ? (double) (busy - earlier.busy) / total : Double.NaN;
        }
    }
}
