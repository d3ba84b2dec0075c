package io.gridgate.node.config;

import io.gridgate.node.config.YamlNode.Entry;
import io.gridgate.node.config.YamlNode.Mapping;
import io.gridgate.node.config.YamlNode.Scalar;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a route's {@code fallback}: another route to send to, or a fixed response. */
final class FallbackReader {

    static final String[] KEYS = {"route", "status", "headers", "body"};

    private static final String ROUTE = "the id of another route";
    private static final String HEADERS = "a mapping of header name to value, such as {Content-Type: application/json}";
    private static final ValueType<String> HEADER_NAME = ValueTypes.token("a header name", name -> name);
    // CR or LF would end the header early and let the config write a second one.
    private static final ValueType<String> HEADER_VALUE =
            ValueTypes.matching("[\\t\\x20-\\x7e]*", "a header value of printable ASCII characters");

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
        Optional<YamlNode> node = s.value("headers");
        if (node.isEmpty() || node.get() instanceof Scalar scalar && scalar.isNull()) {
            return Map.of();
        }
        if (!(node.get() instanceof Mapping mapping)) {
            s.reading().problems().reject(node.get(), s.pathOf("headers"), HEADERS);
            return Map.of();
        }
        return headers(s.reading().problems(), mapping, s.pathOf("headers"));
    }

    private static Map<String, String> headers(Problems problems, Mapping mapping, String path) {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, Integer> firstLines = new HashMap<>();
        for (Entry entry : mapping.entries()) {
            String entryPath = path + "/" + YamlNode.pointerToken(entry.key());
            String nameProblem = nameProblem(entry, firstLines);
            ValueType.Checked<String> value = HEADER_VALUE.check(entry.value());
            if (nameProblem != null) {
                problems.reject(problems.at(entry.line(), entry.column(), entryPath), YamlNode.quote(entry.key()),
                        nameProblem);
            } else if (!value.ok()) {
                problems.reject(entry.value(), entryPath, value.expected());
            } else {
                headers.put(entry.key(), value.value());
            }
        }
        return headers;
    }

    private static final java.util.Set<String> FRAMING = java.util.Set.of("content-length", "transfer-encoding", "connection");

    /** Header names are case-insensitive, so {@code content-type} repeats {@code Content-Type}. */
    private static String nameProblem(Entry entry, Map<String, Integer> firstLines) {
        if (!HEADER_NAME.check(new Scalar(entry.key(), Scalar.Type.STRING, entry.line(), entry.column())).ok()) {
            return "a header name";
        }
        if (FRAMING.contains(entry.key().toLowerCase(Locale.ROOT))) {
            return "a header other than Content-Length, Transfer-Encoding and Connection, which the gateway sets itself";
        }
        Integer first = firstLines.putIfAbsent(entry.key().toLowerCase(Locale.ROOT), entry.line());
        return first == null ? null : "each header once; first at line " + first;
    }
}
