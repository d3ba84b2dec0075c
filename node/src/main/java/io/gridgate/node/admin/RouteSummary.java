package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.node.config.MatchConfig;
import io.gridgate.node.config.RouteConfig;
import io.gridgate.node.config.VersionsConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A route as the overview lists it: what it matches and where it sends it, enough to recognise it,
 * not its whole config (policies, limits and credentials stay out).
 */
final class RouteSummary {

    private RouteSummary() {
    }

    /**
     * Writes {@code id}, {@code methods} (empty: any), {@code hosts} (empty: any), {@code path} or
     * {@code pathPrefix} (neither: any path), and {@code upstream} or, for a versioned route,
     * {@code versions} (version to upstream), or, for a composite route, {@code calls} (call to
     * upstream); {@code services} names the registered services it uses.
     */
    static void describe(RouteConfig route, ObjectNode out) {
        MatchConfig match = route.match();
        out.put("id", route.id());
        strings(out.putArray("methods"), match.methods());
        strings(out.putArray("hosts"), match.hosts());
        match.path().ifPresent(path -> out.put("path", path));
        match.pathPrefix().ifPresent(prefix -> out.put("pathPrefix", prefix));
        route.upstream().ifPresent(upstream -> out.put("upstream", upstream));
        route.versions().ifPresent(versions -> {
            ObjectNode byVersion = out.putObject("versions");
            upstreams(versions).forEach(byVersion::put);
        });
        route.compose().ifPresent(compose -> {
            ObjectNode calls = out.putObject("calls");
            compose.calls().forEach(call -> calls.put(call.id(), call.upstream()));
        });
        strings(out.putArray("services"), services(route));
    }

    /** The services a route sends to, by their registered names, in version order. */
    static List<String> services(RouteConfig route) {
        List<String> upstreams = route.upstream().map(List::of)
                .or(() -> route.versions().map(v -> List.copyOf(upstreams(v).values())))
                .orElseGet(() -> route.compose().map(c -> c.calls().stream().map(call -> call.upstream()).toList())
                        .orElse(List.of()));
        List<String> services = new ArrayList<>();
        for (String upstream : upstreams) {
            if (upstream.startsWith(RouteConfig.SERVICE_PREFIX)) {
                String name = upstream.substring(RouteConfig.SERVICE_PREFIX.length());
                if (!services.contains(name)) {
                    services.add(name);
                }
            }
        }
        return services;
    }

    private static Map<String, String> upstreams(VersionsConfig versions) {
        Map<String, String> byVersion = new TreeMap<>();
        versions.targets().forEach((version, target) -> byVersion.put(version, target.upstream()));
        return byVersion;
    }

    private static void strings(ArrayNode out, List<String> values) {
        values.forEach(out::add);
    }
}
