package io.gridgate.loadtest;

import java.util.List;
import java.util.Locale;

/** What a benchmark run compares, chosen with {@code --scenario}; each has its own targets and report. */
enum Scenario {
    /** The backend directly, nginx and a Gridgate node in front of it: what a Gridgate hop costs. */
    PROXY("proxy", List.of("direct", "nginx", "gridgate"), true),
    /**
     * One Gridgate node, three routes that differ only in their rate limit (none, leased, exact): what checking a
     * cluster-wide limit costs. Saturation only; see {@link RateLimitScenario}.
     */
    RATELIMIT("ratelimit", RateLimitScenario.ROUTES, false),
    /**
     * The backend directly, nginx as a plain proxy, and one Gridgate node's plain and caching routes: what a cache
     * hit is worth against proxying. Saturation only; see {@link CacheScenario}.
     */
    CACHE("cache", CacheScenario.TARGETS, false),
    /**
     * Two Gridgate nodes, one with tracing and the access log off and one with tracing at 100 % sampling to an OTLP
     * sink and the access log on: what observability costs. Saturation only; see {@link ObservabilityScenario}.
     */
    OBSERVABILITY("observability", ObservabilityScenario.TARGETS, false);

    private final String flag;
    private final List<String> targets;
    private final boolean latencyPhase;

    Scenario(String flag, List<String> targets, boolean latencyPhase) {
        this.flag = flag;
        this.targets = targets;
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

    /** Whether fixed-rate latency rounds follow the saturation rounds. */
    boolean latencyPhase() {
        return latencyPhase;
    }

    static Scenario parse(String value) {
        for (Scenario scenario : values()) {
            if (scenario.flag.equals(value.trim().toLowerCase(Locale.ROOT))) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("--scenario: " + value + " (expected: proxy, ratelimit, cache or observability)");
    }
}
