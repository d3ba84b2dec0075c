package io.gridgate.node.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A versioned route: the version a request asks for picks the upstream.
 *
 * @param from where to read the version, tried in this order
 * @param vendor the {@code <name>} in media types {@code application/vnd.<name>.v2+json}
 * @param defaultVersion used when the request names no version; without it such a request gets 404
 * @param targets version name (as {@code 2} or {@code 2.1}, no leading {@code v}) to its target
 */
public record VersionsConfig(
        List<Source> from,
        String vendor,
        Optional<String> defaultVersion,
        Map<String, VersionTarget> targets) {

    public VersionsConfig {
        from = List.copyOf(from);
        targets = Map.copyOf(targets);
    }

    /** Where a request states its version. */
    public enum Source {
        /** A leading {@code /v2} path segment, removed before the route's path is matched. */
        PATH,
        /** {@code Accept-Version} or {@code API-Version}. */
        HEADER,
        /** {@code Accept: application/vnd.<vendor>.v2+json}. */
        MEDIA_TYPE
    }

    /** The upstream of one version, which may be deprecated on its own. */
    public record VersionTarget(String upstream, Optional<DeprecationConfig> deprecation) {
    }
}
