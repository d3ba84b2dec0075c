package io.gridgate.node.config;

import java.util.Optional;

/**
 * How the request path becomes the upstream path; the upstream URL's own base path is then prepended.
 *
 * @param stripPrefix a leading path prefix to remove (segment-aligned)
 * @param path a replacement template; its {@code {variables}} come from the match path template
 */
public record RewriteConfig(Optional<String> stripPrefix, Optional<String> path) {

    public static final RewriteConfig NONE = new RewriteConfig(Optional.empty(), Optional.empty());
}
