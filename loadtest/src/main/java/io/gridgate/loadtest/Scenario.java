package io.gridgate.loadtest;

import java.util.List;
import java.util.Locale;

/** What a benchmark run compares, chosen with {@code --scenario}; each has its own targets and report. */
enum Scenario {
    /** The backend directly, nginx and a Gridgate node in front of it: what a Gridgate hop costs. */
    PROXY("proxy", List.of("direct", "nginx", "gridgate"), true, true),
    /**
     * One Gridgate node, three routes that differ only in their rate limit (none, leased, exact): what checking a
     * cluster-wide limit costs. Saturation only; see {@link RateLimitScenario}.
     */
    RATELIMIT("ratelimit", RateLimitScenario.ROUTES, true, false),
    /**
     * The backend directly, nginx as a plain proxy, and one Gridgate node's plain and caching routes: what a cache
     * hit is worth against proxying. Saturation only; see {@link CacheScenario}.
     */
    CACHE("cache", CacheScenario.TARGETS, true, false),
    /**
     * Two Gridgate nodes, one with tracing and the access log off and one with tracing at 100 % sampling to an OTLP
     * sink and the access log on: what observability costs. Saturation only; see {@link ObservabilityScenario}.
     */
    OBSERVABILITY("observability", ObservabilityScenario.TARGETS, true, false),
    /**
     * The slowest of three upstreams directly, through a Gridgate node's plain route, and the node's composite route
     * that calls all three in parallel: what composing adds to the slowest call's latency. Fixed rate only; see
     * {@link ComposeScenario}.
     */
    COMPOSE("compose", ComposeScenario.TARGETS, false, true);

    private final String flag;
    private final List<String> targets;
    private final boolean saturationPhase;
    private final boolean latencyPhase;

    Scenario(String flag, List<String> targets, boolean saturationPhase, boolean latencyPhase) {
        this.flag = flag;
        this.targets = targets;
        this.saturationPhase = saturationPhase;
        this.latencyPhase = latencyPhase;
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
        return latencyPhase;
    }

    static Scenario parse(String value) {
        for (Scenario scenario : values()) {
            if (scenario.flag.equals(value.trim().toLowerCase(Locale.ROOT))) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("--scenario: " + value + " (expected: proxy, ratelimit, cache, observability"
                + " or compose)");
    }
}
