package io.gridgate.node.config;


import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a route's {@code fallback}: another route to send to, or a fixed response. */
final class FallbackReader {

    static final String[] KEYS = {"route", "status", "headers", "body"};

    private static final String ROUTE = "the id of another route";
    private static final String HEADERS = "a mapping of header name to value, such as {Content-Type: application/json}";

    /** A fallback that names a route, checked once every route's id is known. */
    record Target(Section fallback, String fromRoute, String route) {
    }

    private FallbackReader() {
    }

    /** @param targets collects the fallback's route, if it names one, for {@link #checkTargets} */
    static Optional<FallbackConfig> read(Section s, String routeId, List<Target> targets) {
        if (!s.present()) {
            return Optional.empty();
        }
        if (s.has("route")) {
            Optional<String> route = s.optional("route", ValueTypes.anyText(ROUTE));
            route.ifPresent(r -> targets.add(new Target(s, routeId, r)));
            rejectFixedResponse(s);
            return Optional.of(new FallbackConfig(route, 200, Map.of(), ""));
        }
        return Optional.of(new FallbackConfig(Optional.empty(),
                s.get("status", ValueTypes.integer(100, 599), 200),
                headers(s),
                s.get("body", ValueTypes.anyText("the response body as text"), "")));
    }

    /** A fallback may name a route further down the file, so this runs after all are read. */
    static void checkTargets(List<Target> targets, Set<String> routeIds) {
        for (Target target : targets) {
            if (target.route().equals(target.fromRoute())) {
                target.fallback().reject("route", ROUTE + ", not this one");
            } else if (!routeIds.contains(target.route())) {
                target.fallback().reject("route", ROUTE);
            }
        }
    }

    private static void rejectFixedResponse(Section s) {
        for (String key : List.of("status", "headers", "body")) {
            s.value(key).ifPresent(node -> s.reading().problems().reject(node, s.pathOf(key),
                    "no " + key + ", since a fallback with route has no fixed response"));
        }
    }

    private static Map<String, String> headers(Section s) {
        return HeaderFields.responseMap(s, "headers", HEADERS);
    }
}
