package io.gridgate.node.config;

import io.gridgate.node.config.YamlNode.Entry;
import io.gridgate.node.config.YamlNode.Mapping;
import io.gridgate.node.config.YamlNode.Scalar;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The policies of {@code policies}, by name, and how a route uses one: {@code {policy: NAME}} in
 * place of its own rate limit or auth. A route gets the policy itself, so what a node runs never
 * refers to a name, and a change to the policy is a new version of every route that uses it.
 */
final class NamedPolicies {

    /** The key of a reference, in a route's rate limit or auth. */
    static final String POLICY = "policy";

    /** What one named policy is. */
    enum Kind {
        RATE_LIMIT("a rate-limit policy", "a rate-limit policy of the route's own"),
        AUTH("an auth policy", "an auth requirement of the route's own");

        final String named;
        final String inline;

        Kind(String named, String inline) {
            this.named = named;
            this.inline = inline;
        }
    }

    private final Map<String, Kind> declared = new LinkedHashMap<>();
    private final Map<String, RateLimitConfig> rateLimits = new LinkedHashMap<>();
    private final Map<String, RouteAuthConfig> auth = new LinkedHashMap<>();

    /** Records a rate-limit policy; {@code config} is null when its definition failed. */
    void declareRateLimit(String name, RateLimitConfig config) {
        declare(name, Kind.RATE_LIMIT, rateLimits, config);
    }

    /** Records an auth policy; {@code config} is null when its definition failed. */
    void declareAuth(String name, RouteAuthConfig config) {
        declare(name, Kind.AUTH, auth, config);
    }

    /** A failed definition is still declared, so that the routes using it are not blamed for its errors again. */
    private <T> void declare(String name, Kind kind, Map<String, T> valid, T config) {
        declared.put(name, kind);
        if (config != null) {
            valid.put(name, config);
        }
    }

    /** True when {@code name} is a rate-limit policy of {@code policies}, valid or not. */
    boolean isRateLimit(String name) {
        return declared.get(name) == Kind.RATE_LIMIT;
    }

    /**
     * True when {@code node} stands for a named policy rather than defining its own: a mapping with
     * {@code policy}, or a bare word, which is then reported with the form to write.
     */
    static boolean isReference(YamlNode node) {
        return node instanceof Mapping mapping && mapping.get(POLICY).isPresent()
                || node instanceof Scalar scalar && !scalar.isNull();
    }

    /** The rate-limit policy a reference names; empty, once reported, when it names none. */
    Optional<RateLimitConfig> rateLimit(Reading reading, YamlNode reference, String path) {
        return resolve(reading, reference, path, Kind.RATE_LIMIT, rateLimits);
    }

    /** The auth policy a reference names; empty, once reported, when it names none. */
    Optional<RouteAuthConfig> auth(Reading reading, YamlNode reference, String path) {
        return resolve(reading, reference, path, Kind.AUTH, auth);
    }

    /** The name a reference gives, or null when it gives none that could name a policy. */
    static String name(YamlNode reference) {
        if (reference instanceof Mapping mapping && mapping.get(POLICY).isPresent()
                && mapping.get(POLICY).get().value() instanceof Scalar scalar && scalar.isText()) {
            return scalar.text();
        }
        return null;
    }

    /** Reports the name a reference gives ({@link #name} is not null), as not {@code expected}. */
    static void rejectName(Reading reading, YamlNode reference, String path, String expected) {
        reading.problems().reject(((Mapping) reference).get(POLICY).orElseThrow().value(), path + "/" + POLICY, expected);
    }

    private <T> Optional<T> resolve(Reading reading, YamlNode reference, String path, Kind kind, Map<String, T> valid) {
        Problems problems = reading.problems();
        if (!(reference instanceof Mapping mapping)) {
            problems.reject(reference, path, "a mapping: {policy: NAME} to use one of policies, or " + kind.inline);
            return Optional.empty();
        }
        for (Entry entry : mapping.entries()) {
            if (!entry.key().equals(POLICY)) {
                String at = path + "/" + YamlNode.pointerToken(entry.key());
                problems.reject(problems.at(entry.line(), entry.column(), at), entry.value().render(),
                        "nothing beside policy, since a route uses a named policy as policies defines it");
            }
        }
        String name = name(reference);
        if (name != null && valid.containsKey(name)) {
            return Optional.of(valid.get(name));
        }
        if (name == null || declared.get(name) != kind) {
            rejectName(reading, mapping, path, "the name of " + kind.named + " in policies; known: "
                    + (valid.isEmpty() ? "none" : String.join(", ", valid.keySet())));
        }
        return Optional.empty();
    }
}
