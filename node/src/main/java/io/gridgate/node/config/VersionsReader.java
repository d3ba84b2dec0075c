package io.gridgate.node.config;

import io.gridgate.node.config.VersionsConfig.Source;
import io.gridgate.node.config.VersionsConfig.VersionTarget;
import io.gridgate.node.config.YamlNode.Entry;
import io.gridgate.node.config.YamlNode.Mapping;
import io.gridgate.node.config.YamlNode.Scalar;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads a route's {@code versions}: where the version comes from, and the upstream of each. */
final class VersionsReader {

    static final String[] KEYS = {"from", "vendor", "default", "targets"};

    private static final List<Source> ALL_SOURCES = List.of(Source.PATH, Source.HEADER, Source.MEDIA_TYPE);
    // Taken from the key as written, so 1.10 stays 1.10 rather than becoming the number 1.1.
    private static final Pattern VERSION = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final String TARGETS = "a mapping of version to upstream, such as {\"1\": http://10.0.0.5:9000}";

    private VersionsReader() {
    }

    /** @return the versions, or {@code null} when they cannot be built (the errors are reported) */
    static VersionsConfig read(Section s) {
        List<Source> from = s.list("from", ValueTypes.word(Source.class),
                "a sequence such as [path, header, mediaType]", null);
        if (s.has("from") && from.isEmpty() && !s.failed("from")) {
            s.reject("from", "at least one of path, header, mediaType");
        }
        String vendor = s.get("vendor",
                ValueTypes.matching("[a-z0-9][a-z0-9.-]*", "a vendor name matching [a-z0-9][a-z0-9.-]*"), "gridgate");
        Optional<String> defaultVersion = s.optional("default", ValueTypes.anyText("a version of targets"));
        Map<String, VersionTarget> targets = targets(s);
        if (targets == null) {
            return null;
        }
        if (defaultVersion.isPresent() && !targets.containsKey(defaultVersion.get())) {
            s.reject("default", "a version of targets: " + String.join(", ", targets.keySet()));
        }
        return new VersionsConfig(s.has("from") ? from : ALL_SOURCES, vendor, defaultVersion, targets);
    }

    /** @return the targets in file order, or {@code null} when missing or empty */
    private static Map<String, VersionTarget> targets(Section s) {
        if (!s.has("targets")) {
            s.missing("targets", TARGETS);
            return null;
        }
        YamlNode node = s.value("targets").orElseThrow();
        if (!(node instanceof Mapping mapping) || mapping.entries().isEmpty()) {
            s.reading().problems().reject(node, s.pathOf("targets"),
                    node instanceof Mapping ? "at least one version" : TARGETS);
            return null;
        }
        Map<String, VersionTarget> targets = new LinkedHashMap<>();
        for (Entry entry : mapping.entries()) {
            String path = s.pathOf("targets") + "/" + YamlNode.pointerToken(entry.key());
            if (!VERSION.matcher(entry.key()).matches()) {
                Problems problems = s.reading().problems();
                problems.reject(problems.at(entry.line(), entry.column(), path), YamlNode.quote(entry.key()),
                        "a version such as 2 or 2.1, without a leading v");
                continue;
            }
            VersionTarget target = target(s.reading(), entry.value(), path);
            if (target != null) {
                targets.put(entry.key(), target);
            }
        }
        return targets;
    }

    /** A target is either an upstream URL or a mapping with an upstream and its own deprecation. */
    private static VersionTarget target(Reading reading, YamlNode node, String path) {
        if (node instanceof Scalar) {
            ValueType.Checked<String> url = Addresses.upstreamUrl().check(node);
            if (!url.ok()) {
                reading.problems().reject(node, path, url.expected());
                return null;
            }
            return new VersionTarget(url.value(), Optional.empty());
        }
        Section s = reading.section(node, path, "upstream", "deprecation");
        String upstream = s.required("upstream", Addresses.upstreamUrl(), "the upstream URL of this version");
        Optional<DeprecationConfig> deprecation =
                RouteReader.deprecation(s.child("deprecation", "since", "sunset", "link"));
        return upstream == null ? null : new VersionTarget(upstream, deprecation);
    }
}
