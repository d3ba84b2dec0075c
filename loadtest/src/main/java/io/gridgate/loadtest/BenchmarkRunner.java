package io.gridgate.loadtest;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Runs the phases over already started targets: saturation rounds for throughput, then, where the scenario has it,
 * fixed-rate rounds for latency at one rate shared by all targets. Rounds are interleaved (D, N, G, D, N, G, ...) so
 * that drift on the machine — thermal, a background job — lands on every target alike instead of on whichever ran
 * last.
 */
final class BenchmarkRunner {

    private static final int MAX_PRIMING_RUNS = 8;
    private static final int STABLE_WITHIN_PERCENT = 5;

    private final BenchmarkOptions options;
    private final List<Target> targets;
    private final CpuPinning pinning;
    private final LongSupplier backendRequests;
    private final PrintStream progress;

    /** {@code backendRequests} reads the backend's request count, so each run can tell how many reached it. */
    BenchmarkRunner(BenchmarkOptions options, List<Target> targets, CpuPinning pinning, LongSupplier backendRequests,
            PrintStream progress) {
        this.options = options;
        this.pinning = pinning;
        this.targets = List.copyOf(targets);
        this.backendRequests = backendRequests;
        this.progress = progress;
    }

    BenchmarkResults run(Map<String, String> environment) {
        prime();
        List<Measurement> saturation = phase("saturation", Pacing.closedLoop());
        if (!options.scenario().latencyPhase()) {
            return new BenchmarkResults(options, environment, saturation, Double.NaN, List.of());
        }
        double rate = latencyRate(saturation);
        List<Measurement> latency = List.of();
        if (rate > 0) {
            progress.printf("latency phase at %.0f req/s (%.0f%% of the slowest target's median throughput)%n",
                    rate, options.rateFraction() * 100);
            latency = phase("latency", Pacing.fixedRate(rate));
        } else {
            progress.println("latency phase skipped: no target completed a request at saturation");
        }
        return new BenchmarkResults(options, environment, saturation, rate > 0 ? rate : Double.NaN, latency);
    }

    /**
     * Discarded closed-loop runs per target, one warm-up long each, for at least {@code --priming} per node of the
     * target and then until two in a row agree within 5% (at most eight more). The JIT of this JVM and of the Gridgate
     * node compiles on the very cores the load runs on, and a node sharing one core takes several seconds to settle, a
     * node with auth, tracing and grid calls a minute; without this, round 1 of a cold target measures the compiler,
     * not the proxy. The minimum is there because a node still compiling can give two runs in a row that agree, well
     * below what it settles at; per node, because each JVM of a target of several compiles on its own share of the
     * load (three nodes on one core took about two minutes).
     */
    private void prime() {
        if (options.warmup().isZero()) {
            return;
        }
        for (Target target : targets) {
            double previous = Double.NaN;
            long minimumEnds = System.nanoTime()
                    + options.priming().multipliedBy(target.endpoints().size()).toNanos();
            int counted = 0;
            while (counted < MAX_PRIMING_RUNS) {
                boolean pastMinimum = System.nanoTime() >= minimumEnds;
                LoadResult r = LoadGenerator.run(spec(target, Pacing.closedLoop())
                        .warmup(Duration.ZERO)
                        .duration(options.warmup())
                        .build());
                double rps = r.requestsPerSecond();
                progress.printf("  priming    %-8s %9.0f req/s (discarded)%s%n", target.name(), rps,
                        r.flagged() ? "  errors " + r.errors() : "");
                if (pastMinimum) {
                    counted++;
                    if (Math.abs(rps - previous) <= previous * STABLE_WITHIN_PERCENT / 100.0) {
                        break;
                    }
                }
                previous = rps;
            }
        }
    }

    private List<Measurement> phase(String phase, Pacing pacing) {
        List<Measurement> runs = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            for (Target target : targets) {
                Measurement m = measure(target, round, pacing);
                runs.add(m);
                progress.println(describe(phase, m));
            }
        }
        return runs;
    }

    /** The same rate for every target, so their percentiles describe the same offered load. */
    private double latencyRate(List<Measurement> saturation) {
        double slowest = Double.POSITIVE_INFINITY;
        for (Target target : targets) {
            double[] rps = saturation.stream()
                    .filter(m -> m.target().equals(target.name()))
                    .mapToDouble(m -> m.result().requestsPerSecond())
                    .toArray();
            slowest = Math.min(slowest, TargetSummary.median(rps));
        }
        double rate = Math.floor(options.rateFraction() * slowest);
        return Double.isFinite(rate) ? rate : 0;
    }

    private Measurement measure(Target target, int round, Pacing pacing) {
        LoadSpec spec = spec(target, pacing).build();
        // Read outside the CPU snapshots: asking the node costs it a little CPU that is not the load's.
        OptionalLong tripsBefore = target.gridRoundTrips();
        Telemetry telemetryBefore = target.telemetry();
        long backendBefore = backendRequests.getAsLong();
        CpuAccounting.Snapshot before = CpuAccounting.snapshot(target, pinning);
        long gcBefore = gcMillis();
        InterferenceSampler sampler = InterferenceSampler.start(target, pinning);

        LoadResult result = LoadGenerator.run(spec);

        CoreUsage cpu = sampler.stop(CpuAccounting.between(before, CpuAccounting.snapshot(target, pinning), pinning));
        long gcAfter = gcMillis();
        long backendAfter = backendRequests.getAsLong();
        OptionalLong tripsAfter = target.gridRoundTrips();
        Telemetry telemetry = target.telemetry().since(telemetryBefore);
        double trips = tripsBefore.isPresent() && tripsAfter.isPresent()
                ? tripsAfter.getAsLong() - tripsBefore.getAsLong()
                : Double.NaN;
        return new Measurement(target.name(), round, result, cpu, gcAfter - gcBefore, trips,
                backendAfter - backendBefore, telemetry);
    }

    private LoadSpec.Builder spec(Target target, Pacing pacing) {
        return LoadSpec.builder(target.endpoints())
                .request(target.request())
                .connections(options.connections())
                .threads(options.threads())
                .pacing(pacing)
                .warmup(options.warmup())
                .duration(options.duration());
    }

    /** GC time of this JVM; its backend allocates per request, and its pauses stall every target alike. */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .filter(t -> t > 0)
                .sum();
    }

    private String describe(String phase, Measurement m) {
        LoadResult r = m.result();
        String line = String.format("  %-10s round %d %-8s %9.0f req/s  p50 %7.0f us  p99 %7.0f us  p99.9 %7.0f us",
                phase, m.round(), m.target(), r.requestsPerSecond(), r.latencyMicros(50), r.latencyMicros(99),
                r.latencyMicros(99.9));
        if (r.sendLagNanos().getTotalCount() > 0) {
            line += String.format("  send-lag p99 %5.0f us", r.sendLagMicros(99));
        }
        line += String.format("  gc %d ms  load %.1f us CPU/req", m.loadGcMillis(), m.loadCpuMicrosPerRequest());
        if (!Double.isNaN(m.proxyCpuMicrosPerRequest())) {
            line += String.format("  proxy %.1f us CPU/req", m.proxyCpuMicrosPerRequest());
        }
        if (!Double.isNaN(m.gridRoundTripsPerRequest())) {
            line += String.format("  grid %.4f trips/req", m.gridRoundTripsPerRequest());
        }
        if (options.scenario() == Scenario.CACHE) {
            line += String.format("  backend %.4f req/resp", m.backendRequestsPerResponse());
        }
        if (!Double.isNaN(m.spansPerResponse())) {
            line += String.format("  spans %.3f/resp  log %.3f lines/resp", m.spansPerResponse(),
                    m.logLinesPerResponse());
        }
        if (pinning.enabled()) {
            line += String.format("  CPU%d %.0f%% busy", pinning.loadCpu(), m.cpu().loadBusy() * 100);
        }
        if (m.cpu().noisy()) {
            line += noise(m.cpu());
        }
        return r.flagged() ? line + "  FLAGGED: errors " + r.errors() + (r.capped() ? ", capped" : "") : line;
    }

    private String noise(CoreUsage cpu) {
        if (pinning.mode() == CpuPinning.Mode.ONE_CPU) {
            return String.format("  NOISY: others took %.0f%% of CPU%d (peak %.0f%%)", cpu.loadForeign() * 100,
                    pinning.loadCpu(), cpu.peakLoadForeign() * 100);
        }
        return String.format("  NOISY: others took CPU%d %.0f%% (peak %.0f%%), CPU%d %.0f%% (peak %.0f%%)",
                pinning.loadCpu(), cpu.loadForeign() * 100, cpu.peakLoadForeign() * 100, pinning.proxyCpu(),
                cpu.proxyForeign() * 100, cpu.peakProxyForeign() * 100);
    }
}
