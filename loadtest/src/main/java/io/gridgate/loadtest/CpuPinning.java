package io.gridgate.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the benchmark runs: this JVM (generator and backend) on CPU 0, the proxy under test on CPU 1.
 *
 * <p>The pinning of this JVM is done by whoever starts it ({@code bench.sh} runs {@code taskset -c 0 java ...});
 * children inherit it, so each proxy is started through {@code taskset -c 1}. A check at start fails closed if the
 * JVM is not on CPU 0 alone, since an unpinned run silently measures something else.
 */
final class CpuPinning {

    static final int LOAD_CPU = 0;
    static final int PROXY_CPU = 1;

    private final boolean enabled;

    private CpuPinning(boolean enabled) {
        this.enabled = enabled;
    }

    /** No pinning: everything floats, for machines without two cores or without taskset. */
    static CpuPinning none() {
        return new CpuPinning(false);
    }

    /** Pinning as described above, after checking this JVM is confined to CPU 0. */
    static CpuPinning verified() {
        String allowed = allowedCpus();
        if (!Integer.toString(LOAD_CPU).equals(allowed)) {
            throw new IllegalStateException("this JVM may run on CPUs " + allowed + " (expected: " + LOAD_CPU
                    + " only); start it with `taskset -c " + LOAD_CPU + " java ...` (bench.sh does), or pass"
                    + " --no-pin to measure unpinned");
        }
        return new CpuPinning(true);
    }

    boolean enabled() {
        return enabled;
    }

    /** {@code command} prefixed so that it runs on the proxy CPU. */
    List<String> onProxyCpu(List<String> command) {
        if (!enabled) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", Integer.toString(PROXY_CPU)));
        pinned.addAll(command);
        return pinned;
    }

    String describe() {
        return enabled
                ? "generator+backend on CPU " + LOAD_CPU + ", proxy on CPU " + PROXY_CPU
                : "unpinned";
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
