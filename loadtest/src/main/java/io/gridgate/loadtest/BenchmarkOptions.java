package io.gridgate.loadtest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's flags, parsed and validated once.
 *
 * @param gridgateJar the node's shaded jar
 * @param duration measured window of every run
 * @param warmup unmeasured load before every run's window
 * @param rounds how many times each target is measured per phase; the report shows the median
 * @param connections keep-alive connections of the generator
 * @param threads generator selector threads; the generator has one core at most, so one by default
 * @param targets which of the scenario's targets to measure, in the scenario's order every round
 * @param rateFraction the latency phase runs at this fraction of the slowest target's saturation throughput
 * @param resultsDir where the JSON goes
 * @param pinning where the processes run: all on one CPU (the default, what C is derived for), split, or unpinned
 * @param cpu the CPU of one-CPU mode
 * @param nginx the nginx executable
 * @param scenario proxies (direct, nginx, Gridgate), the cost of Gridgate's rate limiting, its cache hits, its
 *     observability, its composite routes, its plugins, or a cluster of its nodes
 * @param leaseSize permits per lease of the rate-limit scenario's leased route, and of the plugins and nodes
 *     scenarios' limit in leased mode
 * @param accessLog where the observability scenario's observed node writes its access log, or off
 * @param rate the compose scenario's fixed rate, requests per second
 * @param upstreamDelay how long the compose scenario's two fast upstreams take to answer (the slowest takes a quarter
 *     longer)
 * @param limitMode the mode of the plugins and nodes scenarios' cluster rate limit
 * @param priming how long each target is primed at least, per node of the target, before priming stops at two runs
 *     that agree (in a scenario without saturation rounds, also not before a minimum number of runs)
 * @param samplerRatio the fraction of requests the observability scenario's observed node traces: 1 is
 *     {@code always_on}, less a parent-based trace-id ratio sampler
 */
record BenchmarkOptions(
        Path gridgateJar,
        Duration duration,
        Duration warmup,
        int rounds,
        int connections,
        int threads,
        List<String> targets,
        double rateFraction,
        Path resultsDir,
        CpuPinning.Mode pinning,
        int cpu,
        String nginx,
        Scenario scenario,
        int leaseSize,
        ObservabilityScenario.AccessLog accessLog,
        double rate,
        Duration upstreamDelay,
        ClusterLimit.Mode limitMode,
        Duration priming,
        double samplerRatio) {

    static final List<String> ALL_TARGETS = Scenario.PROXY.targets();
    /** The rate-limit scenario's lease size unless {@code --lease-size} says otherwise. */
    static final int DEFAULT_LEASE_SIZE = 100;
    /** The compose scenario's rate unless {@code --rate} says otherwise: moderate, far from what the node can do. */
    static final double DEFAULT_COMPOSE_RATE = 200;
    /** The compose scenario's fast upstreams' delay unless {@code --upstream-delay} says otherwise. */
    static final Duration DEFAULT_UPSTREAM_DELAY = Duration.ofMillis(20);
    /** The most {@code --upstream-delay} may be: the slowest call must answer well within the request timeout. */
    static final Duration MAX_UPSTREAM_DELAY = Duration.ofSeconds(1);

    static final String USAGE = """
            usage: ProxyBenchmark [flags]
              --scenario proxy      proxy: direct vs nginx vs Gridgate; ratelimit: one Gridgate node with routes
                                    /plain, /leased and /exact (no limit, leased, exact), saturation only;
                                    cache: direct, nginx, Gridgate's plain route and its cache hits, saturation only;
                                    observability: two Gridgate nodes, plain (tracing and access log off) and
                                    observed (tracing always_on, or --sampler-ratio, to an OTLP sink on
                                    loopback, access log on);
                                    compose: the slowest of three delayed JSON upstreams directly, through a node's
                                    plain route, and a composite route calling all three, at a fixed rate only;
                                    plugins: two Gridgate nodes, plain and plugins (JWT auth, a cluster rate
                                    limit, tracing always_on), then latency at a moderate rate;
                                    nodes: one Gridgate node and a cluster of three (load round-robin over them),
                                    a cluster rate limit on the route, then latency at a moderate rate
              --targets direct,nginx,gridgate  which to measure (default: all of the scenario; ratelimit:
                                    plain,leased,exact; cache: direct,nginx,gridgate,cached, with cached always;
                                    compose: direct-slowest,proxy-slowest,composed, with composed always;
                                    observability: plain,observed; plugins: plain,plugins; nodes:
                                    1-node,3-nodes; both always)
              --lease-size 100      ratelimit: permits the /leased route takes from the grid at once (1 to 10000);
                                    plugins and nodes: the same, with --limit-mode leased
              --limit-mode exact    plugins and nodes: the cluster rate limit's mode, exact (the node's default:
                                    one grid operation per request) or leased
              --access-log file     observability: the observed node's access log to a file, to stdout (the
                                    node's output file), or off (tracing only)
              --sampler-ratio 1     observability: the fraction of requests the observed node traces, > 0 and
                                    <= 1; 1 is always_on (the issue's 100 % figure), less samples with
                                    parentbased_traceidratio, to see what tracing costs at a production rate
              --rate 200            compose: the fixed rate of every run, requests per second
              --upstream-delay 20ms compose: how long the two fast upstreams take (the slowest a quarter longer)
              --gridgate-jar PATH   node jar (default: node/target/gridgate.jar)
              --duration 6s         measured window per run (ms, s or m; compose: 10s)
              --warmup 3s           unmeasured warm-up before each run (compose: 2s)
              --priming 0s          load each target (in runs of --warmup, discarded) for at least this long per
                                    node before the rounds, then until two runs agree within 5% (plugins and
                                    observability: 60s, nodes: 40s, so 120s for the three; compose also primes
                                    at least 5 runs)
              --rounds 3            rounds per phase, interleaved D,N,G; the median is reported (compose: 5)
              --connections 32      keep-alive connections
              --threads 1           generator threads (all on the generator's one CPU)
              --rate-fraction 0.7   latency phase rate, as a fraction of the slowest saturation RPS (proxy: 0.7;
                                    plugins and nodes: 0.25)
              --results-dir DIR     JSON output directory (default: loadtest/results)
              --nginx PATH          proxy and cache: nginx executable (default: nginx)
              --pinning one-cpu     one-cpu: generator, backend and proxy all on one CPU, where C is a cost
                                    ratio; split: generator+backend on CPU 0, proxy on CPU 1 (latency with a
                                    dedicated proxy core; C is then meaningless); none: unpinned
              --cpu 1               the CPU of one-cpu mode (CPU 0 is left to the rest of the machine)
            Defaults take 3.5 to 4 minutes for all three targets: priming 2 to 8 x 3s per target, then 2 phases
            x 3 rounds x 3 targets x (3s + 6s), plus start-up; --scenario ratelimit 2 to 3 minutes (1 phase),
            --scenario cache 2.5 to 4 minutes (1 phase, 4 targets), --scenario observability about 3.5 minutes
            (1 phase, 2 targets, 60s of priming each), --scenario compose about 4 minutes (priming at least 5 x 2s per target, 1
            fixed-rate phase, 5 rounds x 3 targets x (2s + 10s)), --scenario plugins about 4.5 minutes (2 phases,
            2 targets, 60s of priming each), --scenario nodes 5 to 6 minutes (40s of priming for the one node,
            120s for the three).
            """;

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    /** Parses {@code args}; unknown flags and bad values fail with the flag, the value and what was expected. */
    static BenchmarkOptions parse(String... args) {
        Path jar = Path.of("node/target/gridgate.jar");
        Duration duration = null;
        Duration warmup = null;
        Integer rounds = null;
        int connections = 32;
        int threads = 1;
        String targets = null;
        Double rateFraction = null;
        Path resultsDir = Path.of("loadtest/results");
        CpuPinning.Mode pinning = CpuPinning.Mode.ONE_CPU;
        Integer cpu = null;
        String nginx = null;
        Scenario scenario = Scenario.PROXY;
        Integer leaseSize = null;
        ObservabilityScenario.AccessLog accessLog = null;
        Double rate = null;
        Duration upstreamDelay = null;
        ClusterLimit.Mode limitMode = null;
        Duration priming = null;
        Double samplerRatio = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--no-pin")) {
                throw new IllegalArgumentException("--no-pin: replaced by --pinning none");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + ": missing value, or unknown flag");
            }
            String value = args[++i];
            switch (flag) {
                case "--gridgate-jar" -> jar = Path.of(value);
                case "--duration" -> duration = duration(flag, value, false);
                case "--warmup" -> warmup = duration(flag, value, true);
                case "--priming" -> priming = duration(flag, value, true);
                case "--rounds" -> rounds = positiveInt(flag, value);
                case "--connections" -> connections = positiveInt(flag, value);
                case "--threads" -> threads = positiveInt(flag, value);
                case "--targets" -> targets = value;
                case "--rate-fraction" -> rateFraction = fraction(flag, value);
                case "--results-dir" -> resultsDir = Path.of(value);
                case "--nginx" -> nginx = value;
                case "--pinning" -> pinning = CpuPinning.Mode.parse(value);
                case "--cpu" -> cpu = nonNegativeInt(flag, value);
                case "--scenario" -> scenario = Scenario.parse(value);
                case "--lease-size" -> leaseSize = leaseSize(flag, value);
                case "--access-log" -> accessLog = ObservabilityScenario.AccessLog.parse(value);
                case "--rate" -> rate = rate(flag, value);
                case "--upstream-delay" -> upstreamDelay = upstreamDelay(flag, value);
                case "--limit-mode" -> limitMode = ClusterLimit.Mode.parse(value);
                case "--sampler-ratio" -> samplerRatio = samplerRatio(flag, value);
                default -> throw new IllegalArgumentException(flag + ": unknown flag");
            }
        }
        if (threads > connections) {
            throw new IllegalArgumentException("--threads: " + threads + " (expected: <= --connections " + connections
                    + ")");
        }
        if (cpu != null && pinning != CpuPinning.Mode.ONE_CPU) {
            throw new IllegalArgumentException("--cpu: " + cpu + " (expected: only with --pinning one-cpu; split"
                    + " uses CPUs " + CpuPinning.SPLIT_LOAD_CPU + " and " + CpuPinning.SPLIT_PROXY_CPU + ")");
        }
        if (!scenario.ratedByFraction()) {
            onlyWith(Scenario.withRateFraction(), "--rate-fraction", rateFraction, !scenario.saturationPhase()
                    ? scenario.flag() + " runs at the fixed --rate" : scenario.flag() + " measures saturation only");
        }
        if (scenario != Scenario.COMPOSE) {
            onlyWith("compose", "--rate", rate == null ? null : value(rate), scenario.ratedByFraction()
                    ? scenario.flag() + " sets its latency rate with --rate-fraction"
                    : scenario.flag() + " measures saturation only");
            onlyWith("compose", "--upstream-delay", upstreamDelay == null ? null : upstreamDelay.toMillis() + "ms",
                    scenario.flag() + "'s backend answers at once");
        }
        if (scenario != Scenario.PROXY && scenario != Scenario.CACHE) {
            onlyWith("proxy or cache", "--nginx", nginx, scenario.flag() + " starts no nginx");
        }
        boolean clusterLimit = scenario == Scenario.PLUGINS || scenario == Scenario.NODES;
        if (limitMode != null && !clusterLimit) {
            throw new IllegalArgumentException("--limit-mode: " + limitMode.flag() + " (expected: only with"
                    + " --scenario plugins or nodes)");
        }
        if (leaseSize != null && scenario != Scenario.RATELIMIT
                && !(clusterLimit && limitMode == ClusterLimit.Mode.LEASED)) {
            throw new IllegalArgumentException("--lease-size: " + leaseSize + " (expected: only with --scenario"
                    + " ratelimit, or plugins or nodes with --limit-mode leased)");
        }
        if (scenario != Scenario.OBSERVABILITY && accessLog != null) {
            throw new IllegalArgumentException("--access-log: " + accessLog.flag() + " (expected: only with"
                    + " --scenario observability)");
        }
        if (scenario != Scenario.OBSERVABILITY && samplerRatio != null) {
            throw new IllegalArgumentException("--sampler-ratio: " + value(samplerRatio) + " (expected: only with"
                    + " --scenario observability)");
        }
        List<String> chosen = targets == null ? scenario.targets() : targets(scenario, targets);
        if (scenario == Scenario.CACHE && !chosen.contains(CacheHits.TARGET)) {
            throw new IllegalArgumentException("--targets: " + targets + " (expected: including cached for --scenario"
                    + " cache, whose figures are about it)");
        }
        if (scenario == Scenario.COMPOSE && !chosen.contains(ComposeScenario.COMPOSED)) {
            throw new IllegalArgumentException("--targets: " + targets + " (expected: including composed for --scenario"
                    + " compose, whose figures are about it)");
        }
        boolean pair = scenario == Scenario.OBSERVABILITY || clusterLimit;
        if (pair && !chosen.equals(scenario.targets())) {
            throw new IllegalArgumentException("--targets: " + targets + " (expected: "
                    + String.join(",", scenario.targets()) + " for --scenario " + scenario.flag() + ", whose figure"
                    + " is their ratio)");
        }
        boolean compose = scenario == Scenario.COMPOSE;
        return new BenchmarkOptions(jar,
                duration != null ? duration : compose ? ComposeScenario.DURATION : Duration.ofSeconds(6),
                warmup != null ? warmup : compose ? ComposeScenario.WARMUP : Duration.ofSeconds(3),
                rounds != null ? rounds : compose ? ComposeScenario.ROUNDS : 3,
                connections, threads, chosen,
                rateFraction == null ? defaultRateFraction(scenario) : rateFraction, resultsDir, pinning,
                cpu == null ? CpuPinning.DEFAULT_CPU : cpu, nginx == null ? "nginx" : nginx, scenario,
                leaseSize == null ? DEFAULT_LEASE_SIZE : leaseSize,
                accessLog == null ? ObservabilityScenario.AccessLog.FILE : accessLog,
                rate == null ? DEFAULT_COMPOSE_RATE : rate,
                upstreamDelay == null ? DEFAULT_UPSTREAM_DELAY : upstreamDelay,
                limitMode == null ? ClusterLimit.Mode.EXACT : limitMode,
                priming == null ? scenario.defaultPriming() : priming,
                samplerRatio == null ? ObservabilityScenario.ALWAYS_ON : samplerRatio);
    }

    /**
     * The scenario's own, or the proxy scenario's for one whose latency rate is not a fraction of its throughput
     * (where it is not used).
     */
    private static double defaultRateFraction(Scenario scenario) {
        return scenario.ratedByFraction() ? scenario.defaultRateFraction() : Scenario.PROXY.defaultRateFraction();
    }

    /** The cluster rate limit of the plugins and nodes scenarios, as the flags ask for it. */
    ClusterLimit clusterLimit() {
        return new ClusterLimit(limitMode, leaseSize);
    }

    private static void onlyWith(String scenarios, String flag, Object value, String why) {
        if (value != null) {
            throw new IllegalArgumentException(flag + ": " + value + " (expected: only with --scenario " + scenarios
                    + "; " + why + ")");
        }
    }

    static Duration duration(String flag, String value, boolean zeroAllowed) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + ": " + value + " (expected: a whole number with ms, s or m,"
                    + " e.g. 10s)");
        }
        long amount = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
        if (d.isZero() && !zeroAllowed) {
            throw new IllegalArgumentException(flag + ": " + value + " (expected: > 0)");
        }
        return d;
    }

    private static List<String> targets(Scenario scenario, String value) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String t : value.split(",")) {
            String name = t.trim().toLowerCase(Locale.ROOT);
            if (!scenario.targets().contains(name)) {
                throw new IllegalArgumentException("--targets: " + value + " (expected: a comma-separated subset of "
                        + String.join(",", scenario.targets()) + " for --scenario " + scenario.flag() + ")");
            }
            chosen.add(name);
        }
        // Always in the scenario's order (D, N, G), so the interleaving and the table read the same whatever the
        // flag's order.
        List<String> ordered = new ArrayList<>(scenario.targets());
        ordered.retainAll(chosen);
        return List.copyOf(ordered);
    }

    /** An integer of at least 1, or an error naming the flag; the load CLI's flags read the same way. */
    static int positiveInt(String flag, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException(flag + ": " + value + " (expected: an integer >= 1)");
    }

    /** The node accepts leaseSize 1 to 10,000. */
    private static int leaseSize(String flag, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= 10_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException(flag + ": " + value + " (expected: an integer from 1 to 10000)");
    }

    private static int nonNegativeInt(String flag, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException(flag + ": " + value + " (expected: an integer >= 0)");
    }

    /** {@code 200} for 200.0, {@code 12.5} for 12.5: a rate as it was most likely typed. */
    private static String value(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** A fixed rate the generator can pace: more than 0, at most 1,000,000 requests per second. */
    private static double rate(String flag, String value) {
        try {
            double r = Double.parseDouble(value.trim());
            if (r > 0 && r <= 1_000_000) {
                return r;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException(flag + ": " + value + " (expected: requests per second, > 0 and <="
                + " 1000000)");
    }

    private static Duration upstreamDelay(String flag, String value) {
        Duration d = duration(flag, value, false);
        if (d.compareTo(MAX_UPSTREAM_DELAY) > 0) {
            throw new IllegalArgumentException(flag + ": " + value + " (expected: at most 1s; the slowest upstream,"
                    + " a quarter longer, must answer well within the generator's 2s request timeout)");
        }
        return d;
    }

    /**
     * A ratio the node's sampler takes. 0 is refused although the node would take it: a node that traces nothing
     * exports nothing, so the run could not show that it traces at all.
     */
    private static double samplerRatio(String flag, String value) {
        try {
            double r = Double.parseDouble(value.trim());
            if (r > 0 && r <= 1) {
                return r;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException(flag + ": " + value + " (expected: a ratio > 0 and <= 1, such as 0.1 for"
                + " 10 % of requests; 1, the default, traces every request; 0 traces none, which is what the plain node"
                + " is)");
    }

    private static double fraction(String flag, String value) {
        try {
            double f = Double.parseDouble(value.trim());
            if (f > 0 && f <= 1) {
                return f;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException(flag + ": " + value + " (expected: > 0 and <= 1)");
    }
}
