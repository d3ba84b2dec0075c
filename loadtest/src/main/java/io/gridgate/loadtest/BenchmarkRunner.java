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
 * fixed-rate rounds for latency at one rate shared by all targets (a fraction of the slowest target's throughput, or,
 * in a scenario without saturation rounds, {@code --rate}). Rounds are interleaved (D, N, G, D, N, G, ...) so
 * that drift on the machine — thermal, a background job — lands on every target alike instead of on whichever ran
 * last.
 */
final class BenchmarkRunner {

    private static final int MAX_PRIMING_RUNS = 8;
    /**
     * The fewest priming runs per target, counted after {@code --priming}'s minimum time, of a scenario measured at a
     * fixed rate only; see {@link #prime()}.
     */
    private static final int MIN_PRIMING_RUNS_FIXED_RATE_ONLY = 5;
    private static final int STABLE_WITHIN_PERCENT = 5;
    /** After priming, a fixed-rate-only scenario waits until its processes use less than this share of a core... */
    private static final double IDLE_SHARE = 0.05;
    /** ...for one whole step, for at most this long. */
    private static final Duration IDLE_STEP = Duration.ofSeconds(1);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

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
        if (!options.scenario().saturationPhase()) {
            awaitIdle();
            progress.printf("latency phase at %.0f req/s (--rate)%n", options.rate());
            List<Measurement> latency = phase("latency", Pacing.fixedRate(options.rate()));
            return new BenchmarkResults(options, environment, List.of(), options.rate(), latency);
        }
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
     *
     * <p>A scenario without saturation rounds also counts at least five runs per target after that minimum: there,
     * closed-loop throughput is bounded by the upstreams' delay and agrees from the second run on, long before the
     * node has compiled the path (the compose scenario's first composed round ran at three times the node CPU per
     * request of the later ones). The two minimums guard against different things, too little time for a node to
     * compile what the load makes hot and runs whose throughput cannot show a node still compiling, so both apply.
     */
    private void prime() {
        if (options.warmup().isZero()) {
            return;
        }
        int minRuns = options.scenario().saturationPhase() ? 1 : MIN_PRIMING_RUNS_FIXED_RATE_ONLY;
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
                    if (counted >= minRuns
                            && Math.abs(rps - previous) <= previous * STABLE_WITHIN_PERCENT / 100.0) {
                        break;
                    }
                }
                previous = rps;
            }
        }
    }

    /**
     * Waits, at most 30 s, until no target's process used more than 5% of a core over a
     * second. A node goes on compiling what priming made hot after the load stops, on the core the rounds share: in
     * the compose scenario its JIT took 60% of the core in the first round, the direct one, whose p99 was then 120 ms
     * instead of 27. Throughput rounds are hardly moved by that, latency rounds are.
     */
    private void awaitIdle() {
        long start = System.nanoTime();
        double busiest;
        do {
            busiest = busiestShareOverOneStep();
        } while (busiest >= IDLE_SHARE && System.nanoTime() - start < IDLE_TIMEOUT.toNanos());
        progress.printf("  %s after %.0f s: the busiest target process used %.0f%% of a core over the last %d s%n",
                busiest < IDLE_SHARE ? "idle" : "STILL BUSY, measuring anyway,", (System.nanoTime() - start) / 1e9,
                busiest * 100, IDLE_STEP.toSeconds());
    }

    private double busiestShareOverOneStep() {
        long[] before = targets.stream().mapToLong(t -> t.cpuNanos().orElse(0)).toArray();
        long from = System.nanoTime();
        try {
            Thread.sleep(IDLE_STEP.toMillis()); // sampling another process's CPU time: there is no event to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the targets to go idle", e);
        }
        double elapsed = System.nanoTime() - from;
        double busiest = 0;
        for (int i = 0; i < targets.size(); i++) {
            busiest = Math.max(busiest, (targets.get(i).cpuNanos().orElse(0) - before[i]) / elapsed);
        }
        return busiest;
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
                .duration(options.duration())
                .expectBody(target.expectedBody().orElse(null));
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
        if (options.scenario() == Scenario.CACHE || options.scenario() == Scenario.COMPOSE) {
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
