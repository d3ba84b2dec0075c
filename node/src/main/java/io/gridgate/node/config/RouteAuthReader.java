package io.gridgate.node.config;

import io.gridgate.node.config.RouteAuthConfig.ClaimRequirement;
import io.gridgate.node.config.RouteAuthConfig.Requirement;
import io.gridgate.node.config.YamlNode.Scalar;
import io.gridgate.node.config.YamlNode.Sequence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a route's {@code auth}: how clients may authenticate, and what their identity must hold. */
final class RouteAuthReader {

    /** The keys of an auth requirement, on a route or named in {@code policies}. */
    static final String[] KEYS = {"methods", "optional", "scopes", "roles", "claims"};
    /** A route's: its own requirement, or {@code {policy: NAME}} alone. */
    static final String[] ROUTE_KEYS = {"methods", "optional", "scopes", "roles", "claims", NamedPolicies.POLICY};

    private static final String API_KEY = "apiKey";
    private static final String JWT_PREFIX = "jwt:";
    private static final String METHOD = "apiKey or jwt:<issuer id>";

    private RouteAuthReader() {
    }

    /** A route's {@code auth}: its own requirement, or the one of {@code policies} it names. */
    static Optional<RouteAuthConfig> readRoute(Section route, List<String> issuerIds, NamedPolicies named) {
        Optional<YamlNode> node = route.value("auth");
        if (node.isPresent() && NamedPolicies.isReference(node.get())) {
            return named.auth(route.reading(), node.get(), route.pathOf("auth"));
        }
        return read(route.child("auth", ROUTE_KEYS), issuerIds);
    }

    /**
     * Empty when the section is absent: anyone may use the route.
     *
     * @param issuerIds the ids of {@code auth.jwt}, which {@code jwt:} methods must name
     */
    static Optional<RouteAuthConfig> read(Section s, List<String> issuerIds) {
        if (!s.present()) {
            return Optional.empty();
        }
        List<String> methods = methods(s, issuerIds);
        return Optional.of(new RouteAuthConfig(methods,
                s.get("optional", ValueTypes.bool(), false),
                requirement(s, "scopes", AuthReader.SCOPE, "orders:read"),
                requirement(s, "roles", AuthReader.ROLE, "admin"),
                claims(s)));
    }

    private static List<String> methods(Section s, List<String> issuerIds) {
        String expected = METHOD + "; known issuers: " + (issuerIds.isEmpty() ? "none" : String.join(", ", issuerIds));
        ValueType<String> method = ValueType.text(expected, text -> API_KEY.equals(text)
                || text.startsWith(JWT_PREFIX) && issuerIds.contains(text.substring(JWT_PREFIX.length())) ? text : null);
        if (!s.has("methods")) {
            s.missing("methods", "a sequence of methods such as [apiKey, \"jwt:corp\"]");
            return List.of();
        }
        List<String> methods = s.list("methods", method, "a sequence of methods such as [apiKey, \"jwt:corp\"]", null);
        if (methods.isEmpty() && !s.failed("methods")) {
            s.value("methods").ifPresent(node -> s.reading().problems().reject(node, s.pathOf("methods"),
                    "at least one of " + METHOD + "; optional: true lets anonymous requests through"));
        }
        return methods;
    }

    /** A plain sequence is short for {@code allOf}. */
    private static Requirement requirement(Section route, String key, ValueType<String> type, String example) {
        Optional<YamlNode> node = route.value(key);
        if (node.isEmpty()) {
            return Requirement.NONE;
        }
        String items = "a sequence of " + key + " such as [" + example + "]";
        if (node.get() instanceof Sequence) {
            return new Requirement(List.of(), route.list(key, type, items, null));
        }
        if (node.get() instanceof Scalar scalar && !scalar.isNull()) {
            route.reading().problems().reject(node.get(), route.pathOf(key),
                    items + " (all required), or {anyOf: [...], allOf: [...]}");
            return Requirement.NONE;
        }
        Section s = route.child(key, "anyOf", "allOf");
        return new Requirement(s.list("anyOf", type, items, null), s.list("allOf", type, items, null));
    }

    private static List<ClaimRequirement> claims(Section route) {
        List<YamlNode> items = route.sequence("claims",
                "a sequence of claim conditions such as [{name: tenant, anyOf: [acme, globex]}]");
        List<ClaimRequirement> claims = new ArrayList<>();
        Map<String, Integer> nameLines = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Section s = route.reading().section(items.get(i), route.pathOf("claims") + "/" + i, "name", "anyOf");
            String name = s.required("name", AuthReader.nonEmpty("a claim name"), "a claim name");
            if (name != null) {
                s.value("name").ifPresent(node -> {
                    Integer first = nameLines.putIfAbsent(name, node.line());
                    if (first != null) {
                        s.reject("name", "each claim once; first at line " + first);
                    }
                });
            }
            List<String> values = anyOf(s);
            if (name != null && !values.isEmpty()) {
                claims.add(new ClaimRequirement(name, values));
            }
        }
        return claims;
    }

    private static List<String> anyOf(Section s) {
        String expected = "a sequence of values such as [acme, globex]";
        if (!s.has("anyOf")) {
            s.missing("anyOf", "the values the claim may have, such as [acme, globex]");
            return List.of();
        }
        List<String> values = s.list("anyOf", ValueTypes.anyText("a claim value"), expected, null);
        if (values.isEmpty() && !s.failed("anyOf")) {
            s.value("anyOf").ifPresent(node -> s.reading().problems().reject(node, s.pathOf("anyOf"),
                    "at least one value"));
        }
        return values;
    }
}
