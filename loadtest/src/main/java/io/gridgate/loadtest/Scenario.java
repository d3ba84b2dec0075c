package io.gridgate.loadtest;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What a benchmark run compares, chosen with {@code --scenario}; each has its own targets and report. */
enum Scenario {
    /** The backend directly, nginx and a Gridgate node in front of it: what a Gridgate hop costs. */
    PROXY("proxy", List.of("direct", "nginx", "gridgate"), true, 0.7, Duration.ZERO),
    /**
     * One Gridgate node, three routes that differ only in their rate limit (none, leased, exact): what checking a
     * cluster-wide limit costs. Saturation only; see {@link RateLimitScenario}.
     */
    RATELIMIT("ratelimit", RateLimitScenario.ROUTES, true, Double.NaN, Duration.ZERO),
    /**
     * The backend directly, nginx as a plain proxy, and one Gridgate node's plain and caching routes: what a cache
     * hit is worth against proxying. Saturation only; see {@link CacheScenario}.
     */
    CACHE("cache", CacheScenario.TARGETS, true, Double.NaN, Duration.ZERO),
    /**
     * Two Gridgate nodes, one with tracing and the access log off and one with tracing at 100 % sampling (or
     * {@code --sampler-ratio}) to an OTLP sink and the access log on: what observability costs. Saturation only; see
     * {@link ObservabilityScenario}. Primed 60 s per node: after a few seconds the traced node is still compiling the
     * SDK's and the exporter's code on the one shared core, which made its first rounds cost half as much again.
     */
    OBSERVABILITY("observability", ObservabilityScenario.TARGETS, true, Double.NaN, Duration.ofSeconds(60)),
    /**
     * The slowest of three upstreams directly, through a Gridgate node's plain route, and the node's composite route
     * that calls all three in parallel: what composing adds to the slowest call's latency. Fixed rate only, at
     * {@code --rate}; see {@link ComposeScenario}. Without saturation rounds, priming counts runs rather than time
     * (see {@link BenchmarkRunner}).
     */
    COMPOSE("compose", ComposeScenario.TARGETS, false, Double.NaN, Duration.ZERO),
    /**
     * Two Gridgate nodes with the same route, one plain and one with JWT auth, a cluster rate limit and tracing at
     * 100 %: what those plugins cost together, in throughput and in latency at a moderate rate; see
     * {@link PluginsScenario}. The plugins node's JIT takes about a minute on a shared core to settle.
     */
    PLUGINS("plugins", PluginsScenario.TARGETS, true, 0.25, Duration.ofSeconds(60)),
    /**
     * One Gridgate node and a cluster of three, the same rate-limited route, the load spread round-robin over the
     * three: what clustering costs on the same CPU budget; see {@link NodesScenario}. A node with the limit settles in
     * about 40 s on a shared core, three of them, each on a third of the load, in about two minutes.
     */
    NODES("nodes", NodesScenario.TARGETS, true, 0.25, Duration.ofSeconds(40));

    private final String flag;
    private final List<String> targets;
    private final boolean saturationPhase;
    private final double defaultRateFraction;
    private final Duration defaultPriming;

    /**
     * {@code defaultRateFraction} is NaN for a scenario without a latency phase after its saturation rounds; one
     * without saturation rounds measures at a fixed rate only, so its latency phase is all it has, and its rate is
     * {@code --rate}, not a fraction of a throughput it never measures.
     */
    Scenario(String flag, List<String> targets, boolean saturationPhase, double defaultRateFraction,
            Duration defaultPriming) {
        this.flag = flag;
        this.targets = targets;
        this.saturationPhase = saturationPhase;
        this.defaultRateFraction = defaultRateFraction;
        this.defaultPriming = defaultPriming;
    }

    /** The value of {@code --scenario}, also the prefix of the JSON file's name. */
    String flag() {
        return flag;
    }

    /** Every target of the scenario, in the order each round measures them. */
    List<String> targets() {
        return targets;
    }

    /** Whether closed-loop rounds measure throughput. */
    boolean saturationPhase() {
        return saturationPhase;
    }

    /** Whether fixed-rate rounds measure latency (after the saturation rounds, where there are any). */
    boolean latencyPhase() {
        return !saturationPhase || ratedByFraction();
    }

    /** Whether the latency phase's rate is a fraction of the saturation rounds' throughput ({@code --rate-fraction}). */
    boolean ratedByFraction() {
        return !Double.isNaN(defaultRateFraction);
    }

    /**
     * The latency phase's rate as a fraction of the slowest target's saturation throughput, unless
     * {@code --rate-fraction} says otherwise; NaN unless {@link #ratedByFraction()}.
     */
    double defaultRateFraction() {
        return defaultRateFraction;
    }

    /** How long each node of a target is primed at least, unless {@code --priming} says otherwise. */
    Duration defaultPriming() {
        return defaultPriming;
    }

    /** The scenarios whose latency rate is a fraction of their throughput, as the flag's error messages name them. */
    static String withRateFraction() {
        List<String> flags = Arrays.stream(values()).filter(Scenario::ratedByFraction).map(Scenario::flag)
                .toList();
        return String.join(", ", flags.subList(0, flags.size() - 1)) + " or " + flags.get(flags.size() - 1);
    }

    static Scenario parse(String value) {
        for (Scenario scenario : values()) {
            if (scenario.flag.equals(value.trim().toLowerCase(Locale.ROOT))) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("--scenario: " + value + " (expected: proxy, ratelimit, cache,"
                + " observability, compose, plugins or nodes)");
    }
}
