package io.gridgate.node.routing;

import io.gridgate.node.config.VersionsConfig;
import io.gridgate.node.config.VersionsConfig.Source;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the API version a request asks for, and maps it to the route's target for that version. */
final class Versioning {

    private final List<Source> sources;
    private final Pattern mediaType;
    private final Optional<String> defaultVersion;
    private final Map<String, Target> targets;
    private final String available;

    Versioning(VersionsConfig config, Map<String, Target> targets) {
        this.sources = config.from();
        this.mediaType = Pattern.compile("application/vnd\\." + Pattern.quote(config.vendor())
                + "\\.v(\\d+(?:\\.\\d+)?)(?:\\+[A-Za-z0-9.-]+)?\\s*(?:[;,]|$)");
        this.defaultVersion = config.defaultVersion();
        this.targets = Map.copyOf(targets);
        this.available = String.join(", ", new TreeMap<>(targets).keySet());
    }

    boolean readsPath() {
        return sources.contains(Source.PATH);
    }

    /** The version in a leading {@code /v2} or {@code /v2.1} segment, or {@code null}; no regex, as it runs per request. */
    static String pathVersion(String path) {
        if (path.length() < 3 || path.charAt(0) != '/' || (path.charAt(1) != 'v' && path.charAt(1) != 'V')) {
            return null;
        }
        int end = digits(path, 2);
        if (end == 2) {
            return null;
        }
        if (end < path.length() && path.charAt(end) == '.') {
            int minor = digits(path, end + 1);
            if (minor == end + 1) {
                return null;
            }
            end = minor;
        }
        return end == path.length() || path.charAt(end) == '/' ? path.substring(2, end) : null;
    }

    private static int digits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** The path without its leading version segment. */
    static String stripPathVersion(String path, String version) {
        String rest = path.substring(version.length() + 2);
        return rest.isEmpty() ? "/" : rest;
    }

    /** The version the request names, first source first, else the default; {@code null} if none. */
    String requested(RequestView request, String pathVersion) {
        for (Source source : sources) {
            String version = switch (source) {
                case PATH -> pathVersion;
                case HEADER -> headerVersion(request);
                case MEDIA_TYPE -> mediaTypeVersion(request.header("Accept"));
            };
            if (version != null) {
                return version;
            }
        }
        return defaultVersion.orElse(null);
    }

    Target target(String version) {
        return version == null ? null : targets.get(version);
    }

    /** Where a fallback to this route goes: its default version, else its highest. */
    Target fallbackTarget() {
        return defaultVersion.map(targets::get)
                .orElseGet(() -> new TreeMap<>(targets).lastEntry().getValue());
    }

    String available() {
        return available;
    }

    private static String headerVersion(RequestView request) {
        String value = request.header("Accept-Version");
        if (value == null) {
            value = request.header("API-Version");
        }
        if (value == null) {
            return null;
        }
        value = value.trim();
        return value.startsWith("v") || value.startsWith("V") ? value.substring(1) : value;
    }

    private String mediaTypeVersion(String accept) {
        if (accept == null || !accept.contains("vnd.")) {
            return null;
        }
        Matcher m = mediaType.matcher(accept);
        return m.find() ? m.group(1) : null;
    }
}
