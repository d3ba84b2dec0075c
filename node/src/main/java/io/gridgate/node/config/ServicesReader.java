package io.gridgate.node.config;

import io.gridgate.node.config.YamlNode.Entry;
import io.gridgate.node.config.YamlNode.Mapping;
import io.gridgate.node.config.YamlNode.Scalar;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads {@code services}: health checking and outlier detection per registered service name. */
final class ServicesReader {

    static final String NAME_EXPECTED = "a name matching [a-z0-9][a-z0-9._-]{0,63}";
    static final ValueType<String> NAME = ValueTypes.matching("[a-z0-9][a-z0-9._-]{0,63}", NAME_EXPECTED);

    private static final String SERVICES = "a mapping of service name to its settings, such as {orders: {healthCheck: {path: /health}}}";

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
            if (!NAME.check(new Scalar(entry.key(), Scalar.Type.STRING, entry.line(), entry.column())).ok()) {
                Problems problems = top.reading().problems();
                problems.reject(problems.at(entry.line(), entry.column(), path), YamlNode.quote(entry.key()), NAME_EXPECTED);
                continue;
            }
            Section s = top.reading().section(entry.value(), path, "healthCheck", "outlierDetection");
            services.put(entry.key(), new ServiceConfig(entry.key(),
                    healthCheck(s.child("healthCheck", "path", "interval", "timeout", "healthyThreshold", "unhealthyThreshold")),
                    outlier(s.child("outlierDetection", "consecutiveFailures", "ejectionTime", "maxEjectionPercent"))));
        }
        return services;
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
}
