package io.gridgate.node.config;

import io.gridgate.node.config.YamlNode.Entry;
import io.gridgate.node.config.YamlNode.Mapping;
import io.gridgate.node.config.YamlNode.Scalar;

import java.util.List;
import java.util.Optional;

/**
 * Reads {@code policies}: rate limits and auth requirements defined once, by name, for routes to use
 * with {@code {policy: NAME}}. Each policy is exactly one of {@code rateLimit} or {@code auth}, and
 * takes the fields a route's own would.
 */
final class PoliciesReader {

    static final String[] KEYS = {"rateLimit", "auth"};

    private static final String POLICIES = "a mapping of policy name to one policy, such as "
            + "{standard: {rateLimit: {limits: [{permits: 20, per: 1s}]}}}";
    private static final String ONE_POLICY = "a rateLimit or an auth, such as {rateLimit: {limits: [{permits: 20, per: 1s}]}}";

    private PoliciesReader() {
    }

    /** @param issuerIds the ids of {@code auth.jwt}, which an auth policy's methods may name */
    static NamedPolicies read(Section top, List<String> issuerIds) {
        NamedPolicies policies = new NamedPolicies();
        Optional<YamlNode> node = top.value("policies");
        if (node.isEmpty() || node.get() instanceof Scalar scalar && scalar.isNull()) {
            return policies;
        }
        if (!(node.get() instanceof Mapping mapping)) {
            top.reading().problems().reject(node.get(), top.pathOf("policies"), POLICIES);
            return policies;
        }
        for (Entry entry : mapping.entries()) {
            String path = top.pathOf("policies") + "/" + YamlNode.pointerToken(entry.key());
            if (!ServicesReader.NAME.check(new Scalar(entry.key(), Scalar.Type.STRING, entry.line(), entry.column())).ok()) {
                Problems problems = top.reading().problems();
                problems.reject(problems.at(entry.line(), entry.column(), path), YamlNode.quote(entry.key()),
                        "a policy name matching [a-z0-9][a-z0-9._-]{0,63}");
                continue;
            }
            read(top.reading().section(entry.value(), path, KEYS), entry.key(), issuerIds, policies);
        }
        return policies;
    }

    private static void read(Section s, String name, List<String> issuerIds, NamedPolicies policies) {
        if (s.exclusive(KEYS)) {
            // Declared all the same, so that the routes using it are not blamed for the policy's mistake.
            policies.declareRateLimit(name, null);
            return;
        }
        if (s.has("rateLimit")) {
            policies.declareRateLimit(name, RateLimitReader.policy(s.child("rateLimit", RateLimitReader.FIELDS), name));
        } else if (s.has("auth")) {
            policies.declareAuth(name, RouteAuthReader.read(s.child("auth", RouteAuthReader.KEYS), issuerIds).orElse(null));
        } else {
            s.missingOneOf(ONE_POLICY, KEYS);
        }
    }
}
