package io.gridgate.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Measures direct, nginx and Gridgate on loopback with the same generator and backend (or, with {@code --scenario
 * ratelimit}, one Gridgate node's routes without, with leased and with exact rate limits), prints the comparison and
 * writes it as JSON; exit status 0, or 3 if any run had errors (its figures are then not to be trusted), 2 for bad
 * flags, 1 if the benchmark itself failed.
 */
public final class ProxyBenchmark {

    /** Held so the JUL configuration is not garbage-collected: Undertow's INFO start-up lines would clutter the table. */
    private static final List<Logger> QUIETED = List.of(Logger.getLogger("io.undertow"), Logger.getLogger("org.xnio"),
            Logger.getLogger("org.jboss"));

    private ProxyBenchmark() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(BenchmarkOptions.USAGE);
            return;
        }
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(BenchmarkOptions.USAGE);
            System.exit(2);
            return;
        }
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
        try {
            System.exit(run(options));
        } catch (Exception e) {
            System.err.println("benchmark failed: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }

    static int run(BenchmarkOptions options) throws IOException {
        CpuPinning pinning = CpuPinning.verified(options);
        if (needsNode(options)) {
            GridgateNode.requireJar(options.gridgateJar()); // before nginx starts, not after a minute of setup
        }
        Path workDir = Files.createTempDirectory("gridgate-bench-");
        List<Target> started = new ArrayList<>();
        // Ctrl-C or SIGTERM must not leave nginx or a Gridgate node behind; close() is safe to run twice.
        Thread cleanup = new Thread(() -> closeAll(started), "benchmark-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (Backend backend = Backend.start(0)) {
            Map<String, String> environment = environment(options, pinning);
            environment.put("coresBusyBeforeStart", quietCheck(pinning));
            List<Target> targets = switch (options.scenario()) {
                case PROXY -> startEach(options, backend, workDir, pinning, started);
                case RATELIMIT -> startRateLimited(options, backend, workDir, pinning, started);
            };
            BenchmarkResults results = new BenchmarkRunner(options, targets, pinning, System.err).run(environment);
            Path json = switch (options.scenario()) {
                case PROXY -> {
                    System.out.print(BenchmarkReport.table(results));
                    yield BenchmarkReport.writeJson(results, options.resultsDir());
                }
                case RATELIMIT -> {
                    System.out.print(RateLimitReport.table(results));
                    yield BenchmarkReport.writeFile(RateLimitReport.json(results), "ratelimit-benchmark-",
                            options.resultsDir());
                }
            };
            System.out.println("results: " + json);
            closeAll(started); // before copying, so the logs are complete
            System.out.println("proxy logs: " + keepLogs(workDir, json));
            return results.flagged().isEmpty() ? 0 : 3;
        } finally {
            closeAll(started);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook is running or has run, which is what we wanted anyway.
            }
            deleteRecursively(workDir);
        }
    }

    private static boolean needsNode(BenchmarkOptions options) {
        return options.scenario() == Scenario.RATELIMIT || options.targets().contains("gridgate");
    }

    /** The proxy scenario: each target its own process (none for direct), added to {@code started} as it starts. */
    private static List<Target> startEach(BenchmarkOptions options, Backend backend, Path workDir, CpuPinning pinning,
            List<Target> started) {
        for (String name : options.targets()) {
            System.err.println("starting " + name);
            started.add(start(name, options, backend, workDir, pinning));
        }
        return List.copyOf(started);
    }

    /** The rate-limit scenario: one node, and a target for each of its routes that is measured. */
    private static List<Target> startRateLimited(BenchmarkOptions options, Backend backend, Path workDir,
            CpuPinning pinning, List<Target> started) {
        System.err.println("starting gridgate with routes " + String.join(", ", RateLimitScenario.ROUTES));
        GridgateNode node = GridgateNode.withGridStats(options.gridgateJar(),
                RateLimitScenario.routes(backend.address(), options.leaseSize()), workDir, pinning);
        started.add(node);
        return RateLimitScenario.targets(node, options.targets());
    }

    private static Target start(String name, BenchmarkOptions options, Backend backend, Path workDir,
            CpuPinning pinning) {
        return switch (name) {
            case "direct" -> Target.direct(backend.address());
            case "nginx" -> NginxProxy.start(options.nginx(), backend.address(), workDir, pinning);
            case "gridgate" -> GridgateNode.start(options.gridgateJar(), backend.address(), workDir, pinning);
            default -> throw new IllegalArgumentException("target: " + name);
        };
    }

    private static Map<String, String> environment(BenchmarkOptions options, CpuPinning pinning) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("pinning", pinning.describe());
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        env.put("onlineCpus", readOrUnknown(Path.of("/sys/devices/system/cpu/online")));
        env.put("benchmarkCpus", CpuPinning.allowedCpus());
        env.put("backendBodyBytes", Integer.toString(Backend.BODY_BYTES));
        if (options.scenario() == Scenario.PROXY && options.targets().contains("nginx")) {
            env.put("nginx", NginxProxy.version(options.nginx()));
        }
        if (needsNode(options)) {
            env.put("gridgateJvmFlags", String.join(" ", GridgateNode.HEAP_FLAGS));
            // Others rebuild the node between runs: the jar's time tells which build a result belongs to.
            env.put("gridgateJarModified", modified(options.gridgateJar()));
        }
        if (options.scenario() == Scenario.RATELIMIT) {
            env.put("gridStats", "the node's Hazelcast map statistics over JMX on loopback (-Dhazelcast.jmx=true),"
                    + " read between runs");
        }
        return env;
    }

    /**
     * How busy the benchmark's cores are for a second before anything starts. The benchmark cannot make a shared
     * machine quiet, but it can say up front that it is not, rather than leave the reader to guess from odd figures.
     */
    private static String quietCheck(CpuPinning pinning) {
        if (!pinning.enabled()) {
            return "not checked (unpinned)";
        }
        List<Integer> cpus = pinning.loadCpu() == pinning.proxyCpu()
                ? List.of(pinning.loadCpu())
                : List.of(pinning.loadCpu(), pinning.proxyCpu());
        List<CpuAccounting.CoreTicks> before = cpus.stream().map(CpuAccounting::coreTicks).toList();
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> parts = new ArrayList<>();
        boolean busy = false;
        for (int i = 0; i < cpus.size(); i++) {
            CpuAccounting.CoreTicks after = CpuAccounting.coreTicks(cpus.get(i));
            if (before.get(i) == null || after == null) {
                return "unknown";
            }
            double share = after.busySince(before.get(i));
            busy |= share > CoreUsage.NOISY_FOREIGN_SHARE;
            parts.add(String.format(java.util.Locale.ROOT, "CPU%d %.0f%%", cpus.get(i), share * 100));
        }
        String summary = String.join(", ", parts);
        if (busy) {
            System.err.println("warning: the machine is busy before the benchmark starts (" + summary
                    + "); other processes will skew the figures, see the 'noisy' column");
        }
        return summary;
    }

    private static String modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String readOrUnknown(Path path) {
        try {
            return Files.readString(path).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void closeAll(List<Target> targets) {
        for (Target target : List.copyOf(targets)) {
            try {
                target.close();
            } catch (RuntimeException e) {
                System.err.println("stopping " + target.name() + " failed: " + e);
            }
        }
    }

    /** Copies the proxies' logs (nginx error log, node log, node GC log) next to the JSON, for post-mortems. */
    private static Path keepLogs(Path workDir, Path json) throws IOException {
        Path logs = json.resolveSibling(json.getFileName().toString().replace(".json", "-logs"));
        Files.createDirectories(logs);
        try (Stream<Path> files = Files.walk(workDir)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.copy(log, logs.resolve(workDir.relativize(log).toString().replace('/', '-')));
            }
        }
        return logs;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
