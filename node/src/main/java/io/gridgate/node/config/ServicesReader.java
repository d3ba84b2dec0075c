package io.gridgate.node.config;

import io.gridgate.node.config.CircuitBreakerConfig.Window;
import io.gridgate.node.config.YamlNode.Entry;
import io.gridgate.node.config.YamlNode.Mapping;
import io.gridgate.node.config.YamlNode.Scalar;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code services}: health checking, outlier detection, the circuit breaker and the retry budget
 * per registered service name.
 */
final class ServicesReader {

    static final String NAME_EXPECTED = "a name matching [a-z0-9][a-z0-9._-]{0,63}";
    static final ValueType<String> NAME = ValueTypes.matching("[a-z0-9][a-z0-9._-]{0,63}", NAME_EXPECTED);

    private static final String SERVICES = "a mapping of service name to its settings, such as {orders: {healthCheck: {path: /health}}}";

    private static final String[] SERVICE_KEYS = {"healthCheck", "outlierDetection", "circuitBreaker", "retryBudget"};
    /** A URL upstream is named by its host and port; only its breaker and retry budget can be tuned. */
    private static final java.util.regex.Pattern HOST_PORT =
            java.util.regex.Pattern.compile("(?:[a-z0-9][a-z0-9.-]{0,252}|\\[[0-9a-f:.]+\\]):[0-9]{1,5}");
    private static final String[] HOST_PORT_KEYS = {"circuitBreaker", "retryBudget"};
    private static final String KEY_EXPECTED = NAME_EXPECTED + ", or the host:port of a URL upstream";
    private static final String[] BREAKER_KEYS = {"enabled", "window", "windowSize", "minimumCalls", "failureRate",
        "slowCallDuration", "slowCallRate", "waitInOpen", "halfOpenCalls", "failureStatuses", "share", "quorum",
        "probeJitter"};
    private static final int TIME_WINDOW_SECONDS = 60;

    private ServicesReader() {
    }

    static Map<String, ServiceConfig> read(Section top) {
        Optional<YamlNode> node = top.value("services");
        if (node.isEmpty() || node.get() instanceof Scalar scalar && scalar.isNull()) {
            return Map.of();
        }
        if (!(node.get() instanceof Mapping mapping)) {
            top.reading().problems().reject(node.get(), top.pathOf("services"), SERVICES);
            return Map.of();
        }
        Map<String, ServiceConfig> services = new LinkedHashMap<>();
        for (Entry entry : mapping.entries()) {
            String path = top.pathOf("services") + "/" + YamlNode.pointerToken(entry.key());
            boolean hostPort = HOST_PORT.matcher(entry.key()).matches();
            if (!hostPort && !NAME.check(new Scalar(entry.key(), Scalar.Type.STRING, entry.line(), entry.column())).ok()) {
                Problems problems = top.reading().problems();
                problems.reject(problems.at(entry.line(), entry.column(), path), YamlNode.quote(entry.key()), KEY_EXPECTED);
                continue;
            }
            Section s = top.reading().section(entry.value(), path, hostPort ? HOST_PORT_KEYS : SERVICE_KEYS);
            services.put(entry.key(), service(s, entry.key()));
        }
        return services;
    }

    private static ServiceConfig service(Section s, String name) {
        return new ServiceConfig(name,
                healthCheck(s.child("healthCheck", "path", "interval", "timeout", "healthyThreshold", "unhealthyThreshold")),
                outlier(s.child("outlierDetection", "consecutiveFailures", "ejectionTime", "maxEjectionPercent")),
                circuitBreaker(s.child("circuitBreaker", BREAKER_KEYS)),
                retryBudget(s.child("retryBudget", "percent", "minRetriesPerSecond")));
    }

    private static Optional<HealthCheckConfig> healthCheck(Section s) {
        if (!s.present()) {
            return Optional.empty();
        }
        String path = s.required("path", ValueTypes.matching("/[\\x21-\\x7e]*", "an absolute path such as /health"),
                "the path to poll, such as /health");
        Duration interval = s.get("interval", Durations.type(), Duration.ofSeconds(5));
        Duration timeout = s.get("timeout", Durations.type(), Duration.ofSeconds(1));
        if (timeout.compareTo(interval) > 0 && !s.failed("interval")) {
            s.reject("timeout", "at most the interval, " + Durations.format(interval));
        }
        return path == null ? Optional.empty() : Optional.of(new HealthCheckConfig(path, interval, timeout,
                s.get("healthyThreshold", ValueTypes.integer(1, 100), 2),
                s.get("unhealthyThreshold", ValueTypes.integer(1, 100), 3)));
    }

    private static OutlierConfig outlier(Section s) {
        OutlierConfig d = OutlierConfig.DEFAULT;
        return new OutlierConfig(
                s.get("consecutiveFailures", ValueTypes.integer(0, 1000), d.consecutiveFailures()),
                s.get("ejectionTime", Durations.type(), d.ejectionTime()),
                s.get("maxEjectionPercent", ValueTypes.integer(0, 100), d.maxEjectionPercent()));
    }

    private static CircuitBreakerConfig circuitBreaker(Section s) {
        CircuitBreakerConfig d = CircuitBreakerConfig.DEFAULT;
        Window window = s.get("window", ValueTypes.word(Window.class), d.window());
        // A time window counts seconds: the count default of 100 would be an unusually long one.
        int windowSize = s.get("windowSize", ValueTypes.integer(1, 10_000),
                window == Window.TIME ? TIME_WINDOW_SECONDS : d.windowSize());
        List<Integer> failureStatuses = s.list("failureStatuses", ValueTypes.integer(400, 599),
                "a sequence of statuses such as [500, 502, 503, 504]", null);
        return new CircuitBreakerConfig(
                s.get("enabled", ValueTypes.bool(), d.enabled()),
                window,
                windowSize,
                minimumCalls(s, window, windowSize),
                s.get("failureRate", ValueTypes.integer(1, 100), d.failureRate()),
                s.get("slowCallDuration", Durations.type(), d.slowCallDuration()),
                s.get("slowCallRate", ValueTypes.integer(1, 100), d.slowCallRate()),
                s.get("waitInOpen", Durations.type(), d.waitInOpen()),
                s.get("halfOpenCalls", ValueTypes.integer(1, 1000), d.halfOpenCalls()),
                s.has("failureStatuses") ? Set.copyOf(failureStatuses) : d.failureStatuses(),
                s.get("share", ValueTypes.bool(), d.share()),
                s.get("quorum", ValueTypes.integer(1, 100), d.quorum()),
                s.get("probeJitter", Durations.typeOrZero(), d.probeJitter()));
    }

    /** A count window never holds more than windowSize calls, so a larger minimum would never open it. */
    private static int minimumCalls(Section s, Window window, int windowSize) {
        int minimumCalls = s.get("minimumCalls", ValueTypes.integer(1, 10_000),
                CircuitBreakerConfig.DEFAULT.minimumCalls());
        if (window != Window.COUNT || minimumCalls <= windowSize
                || s.failed("window") || s.failed("windowSize") || s.failed("minimumCalls")) {
            return minimumCalls;
        }
        if (s.isSet("minimumCalls")) {
            s.reject("minimumCalls", "at most windowSize (" + windowSize + ") for a count window");
        } else {
            s.reject("windowSize", "at least minimumCalls (" + minimumCalls + ") for a count window");
        }
        return minimumCalls;
    }

    private static RetryBudgetConfig retryBudget(Section s) {
        RetryBudgetConfig d = RetryBudgetConfig.DEFAULT;
        return new RetryBudgetConfig(
                s.get("percent", ValueTypes.integer(0, 100), d.percent()),
                s.get("minRetriesPerSecond", ValueTypes.integer(0, 1000), d.minRetriesPerSecond()));
    }
}
