package io.gridgate.node.config;

import java.util.List;
import java.util.Optional;

/**
 * The request predicates of a route; all of them must hold. At most one of {@code path} and
 * {@code pathPrefix} is present; with neither, every path matches.
 *
 * @param hosts exact names or {@code *.example.com} wildcards (lower case, no port); empty means any host
 * @param path an exact path, or a template such as {@code /users/{id}} whose variables are whole segments
 * @param pathPrefix a prefix that matches on segment boundaries ({@code /api} matches {@code /api} and {@code /api/x}, not {@code /apix})
 * @param methods upper-case method names; empty means any method
 */
public record MatchConfig(
        List<String> hosts,
        Optional<String> path,
        Optional<String> pathPrefix,
        List<String> methods,
        List<ValueMatch> headers,
        List<ValueMatch> query) {

    public MatchConfig {
        hosts = List.copyOf(hosts);
        methods = List.copyOf(methods);
        headers = List.copyOf(headers);
        query = List.copyOf(query);
    }
}
