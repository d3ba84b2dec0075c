package io.gridgate.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the benchmark runs: this JVM (generator and backend) and the proxy under test, each on a known CPU.
 *
 * <p>The default, {@link Mode#ONE_CPU}, puts everything on one CPU, which is what the cost ratio C is derived for:
 * every request then spends client, backend and proxy time out of one budget, so {@code 1/X = 1/D + c_X}.
 * {@link Mode#SPLIT} gives the proxy its own core (generator and backend on CPU 0, proxy on CPU 1), to see latency
 * with a dedicated proxy core; throughput there is the slower core's, and C means nothing.
 *
 * <p>The pinning of this JVM is done by whoever starts it ({@code bench.sh} runs {@code taskset -c N java ...}); a
 * check at start fails closed if the JVM is on other CPUs than the mode says, since an unpinned run silently measures
 * something else. Each proxy is started through {@code taskset -c} as well, so it does not depend on inheriting the
 * right mask.
 */
final class CpuPinning {

    /** How the processes are placed. */
    enum Mode {
        /** Generator, backend and proxy all on one CPU: the setup C is derived for. */
        ONE_CPU("one-cpu"),
        /** Generator and backend on CPU 0, the proxy on CPU 1. */
        SPLIT("split"),
        /** No pinning: everything floats; CPU figures per core are not attributed. */
        NONE("none");

        private final String flag;

        Mode(String flag) {
            this.flag = flag;
        }

        /** The value of {@code --pinning}. */
        String flag() {
            return flag;
        }

        static Mode parse(String value) {
            for (Mode mode : values()) {
                if (mode.flag.equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("--pinning: " + value + " (expected: one-cpu, split or none)");
        }
    }

    /** The default CPU of one-CPU mode: CPU 0 is left to absorb the rest of the machine's activity. */
    static final int DEFAULT_CPU = 1;
    /** The cores of split mode. */
    static final int SPLIT_LOAD_CPU = 0;
    static final int SPLIT_PROXY_CPU = 1;

    private final Mode mode;
    private final int loadCpu;
    private final int proxyCpu;

    private CpuPinning(Mode mode, int loadCpu, int proxyCpu) {
        this.mode = mode;
        this.loadCpu = loadCpu;
        this.proxyCpu = proxyCpu;
    }

    /** No pinning, for machines without taskset or without the CPUs asked for. */
    static CpuPinning none() {
        return new CpuPinning(Mode.NONE, -1, -1);
    }

    /** Everything on {@code cpu}; not checked, see {@link #verified}. */
    static CpuPinning oneCpu(int cpu) {
        return new CpuPinning(Mode.ONE_CPU, cpu, cpu);
    }

    /** Generator and backend on CPU 0, proxy on CPU 1; not checked, see {@link #verified}. */
    static CpuPinning split() {
        return new CpuPinning(Mode.SPLIT, SPLIT_LOAD_CPU, SPLIT_PROXY_CPU);
    }

    /** The pinning {@code options} ask for, unchecked: for describing a run. */
    static CpuPinning of(BenchmarkOptions options) {
        return switch (options.pinning()) {
            case ONE_CPU -> oneCpu(options.cpu());
            case SPLIT -> split();
            case NONE -> none();
        };
    }

    /** The pinning {@code options} ask for, after checking this JVM is confined to its CPU. */
    static CpuPinning verified(BenchmarkOptions options) {
        CpuPinning pinning = of(options);
        if (pinning.mode == Mode.NONE) {
            return pinning;
        }
        String allowed = allowedCpus();
        if (!Integer.toString(pinning.loadCpu).equals(allowed)) {
            throw new IllegalStateException("this JVM may run on CPUs " + allowed + " (expected: " + pinning.loadCpu
                    + " only, for --pinning " + pinning.mode.flag() + "); start it with `taskset -c " + pinning.loadCpu
                    + " java ...` (bench.sh does), or pass --pinning none to measure unpinned");
        }
        return pinning;
    }

    Mode mode() {
        return mode;
    }

    boolean enabled() {
        return mode != Mode.NONE;
    }

    /** The CPU of this JVM (generator and backend); -1 when unpinned. */
    int loadCpu() {
        return loadCpu;
    }

    /** The CPU of the proxy under test; the same as {@link #loadCpu()} in one-CPU mode, -1 when unpinned. */
    int proxyCpu() {
        return proxyCpu;
    }

    /** {@code command} prefixed so that it runs on the proxy CPU. */
    List<String> onProxyCpu(List<String> command) {
        if (!enabled()) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", Integer.toString(proxyCpu)));
        pinned.addAll(command);
        return pinned;
    }

    String describe() {
        return switch (mode) {
            case ONE_CPU -> "one-cpu: generator, backend and proxy all on CPU " + loadCpu;
            case SPLIT -> "split: generator+backend on CPU " + loadCpu + ", proxy on CPU " + proxyCpu;
            case NONE -> "none: unpinned";
        };
    }

    /** Cpus_allowed_list of this process, e.g. "0" or "0-1"; "unknown" off Linux. */
    static String allowedCpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }
}
