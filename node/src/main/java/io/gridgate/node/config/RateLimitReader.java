package io.gridgate.node.config;

import io.gridgate.node.config.RateLimitConfig.KeyPart;
import io.gridgate.node.config.RateLimitConfig.Limit;
import io.gridgate.node.config.RateLimitConfig.Mode;
import io.gridgate.node.config.RateLimitConfig.OnGridError;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a route's {@code rateLimits} (policies, their keys and their limits) and a named one's fields. */
final class RateLimitReader {

    private static final String KEY_PART = "clientIp, route, consumer, header:NAME or claim:NAME";
    private static final ValueType<KeyPart> KEY = ValueType.text(KEY_PART, RateLimitReader::keyPart);

    private RateLimitReader() {
    }

    /** The fields of one policy, inline on a route (with its {@code id}) or named in {@code policies}. */
    static final String[] FIELDS = {"key", "limits", "mode", "leaseSize", "onGridError", "gridTimeout", "legacyHeaders"};
    private static final String[] INLINE_KEYS = {"id", "key", "limits", "mode", "leaseSize", "onGridError", "gridTimeout",
        "legacyHeaders", NamedPolicies.POLICY};

    /**
     * A route's policies in order, its own and those it names ({@code {policy: NAME}}). A named policy
     * keeps its name as its id, so every route that uses it charges the same counters.
     */
    static List<RateLimitConfig> read(Section route, NamedPolicies named) {
        List<YamlNode> items = route.sequence("rateLimits", "a sequence of rate-limit policies");
        List<RateLimitConfig> policies = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String path = route.pathOf("rateLimits") + "/" + i;
            if (NamedPolicies.isReference(items.get(i))) {
                String name = NamedPolicies.name(items.get(i));
                Optional<RateLimitConfig> policy = named.rateLimit(route.reading(), items.get(i), path);
                if (name != null && !ids.add(name)) {
                    NamedPolicies.rejectName(route.reading(), items.get(i), path, "a policy not used twice by this route");
                }
                policy.ifPresent(policies::add);
                continue;
            }
            Section s = route.reading().section(items.get(i), path, INLINE_KEYS);
            String id = s.required("id", ServicesReader.NAME, "a policy id matching [a-z0-9][a-z0-9._-]{0,63}");
            if (id != null && !ids.add(id)) {
                s.reject("id", "an id not used by another policy of this route");
            } else if (id != null && named.isRateLimit(id)) {
                s.reject("id", "an id no policy of policies has, since one id is one set of counters;"
                        + " to share them, write {policy: " + id + "}");
            }
            RateLimitConfig policy = policy(s, id);
            if (policy != null) {
                policies.add(policy);
            }
        }
        return policies;
    }

    /** One policy's fields; {@code null}, once reported, when it has no id or no valid limit. */
    static RateLimitConfig policy(Section s, String id) {
        List<KeyPart> key = s.list("key", KEY, "a sequence such as [clientIp] or [route, \"header:X-Api-Key\"]", null);
        List<Limit> limits = limits(s);
        Mode mode = s.get("mode", ValueTypes.word(Mode.class), Mode.EXACT);
        int leaseSize = s.get("leaseSize", ValueTypes.integer(1, 10_000), 10);
        if (mode != Mode.LEASED && s.has("leaseSize")) {
            s.reject("leaseSize", "no leaseSize, since only mode leased uses it");
        }
        Duration gridTimeout = s.get("gridTimeout", Durations.type(), Duration.ofMillis(50));
        if (id == null || limits.isEmpty()) {
            return null;
        }
        return new RateLimitConfig(id, key, limits, mode, leaseSize,
                s.get("onGridError", ValueTypes.word(OnGridError.class), OnGridError.ALLOW), gridTimeout,
                s.get("legacyHeaders", ValueTypes.bool(), false));
    }

    static List<ConcurrencyConfig> concurrency(Section route) {
        List<YamlNode> items = route.sequence("concurrency", "a sequence of concurrency limits");
        List<ConcurrencyConfig> limits = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Section s = route.reading().section(items.get(i), route.pathOf("concurrency") + "/" + i,
                    "id", "key", "maxInFlight", "scope", "queue", "refuseWith");
            String id = s.required("id", ServicesReader.NAME, "a limit id matching [a-z0-9][a-z0-9._-]{0,63}");
            if (id != null && !ids.add(id)) {
                s.reject("id", "an id not used by another concurrency limit of this route");
            }
            List<KeyPart> key = s.list("key", KEY, "a sequence such as [clientIp] or [\"header:X-Api-Key\"]", null);
            Integer max = s.required("maxInFlight", ValueTypes.integer(1, 1_000_000), "the most requests in flight at once");
            Section queue = s.child("queue", "size", "timeout");
            int refuseWith = s.get("refuseWith", ValueTypes.integer(429, 503), 503);
            if (refuseWith != 429 && refuseWith != 503) {
                s.reject("refuseWith", "429 or 503");
            }
            ConcurrencyConfig.Scope scope = s.get("scope", ValueTypes.word(ConcurrencyConfig.Scope.class),
                    ConcurrencyConfig.Scope.NODE);
            int queueSize = queue.get("size", ValueTypes.integer(0, 10_000), 0);
            if (scope == ConcurrencyConfig.Scope.CLUSTER && queue.has("size") && queueSize > 0) {
                queue.reject("size", "0 or none, since cluster-scoped limits refuse at once instead of queueing");
            }
            Duration queueTimeout = queue.get("timeout", Durations.type(), Duration.ofMillis(100));
            if (id != null && max != null) {
                limits.add(new ConcurrencyConfig(id, key, max, scope, queueSize, queueTimeout, refuseWith));
            }
        }
        return limits;
    }

    private static List<Limit> limits(Section policy) {
        if (!policy.has("limits")) {
            policy.missing("limits", "a sequence of limits such as [{permits: 20, per: 1s, burst: 40}]");
            return List.of();
        }
        List<YamlNode> items = policy.sequence("limits", "a sequence of limits such as [{permits: 20, per: 1s}]");
        if (items.isEmpty() && !policy.failed("limits")) {
            policy.reject("limits", "at least one limit");
        }
        List<Limit> limits = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Section s = policy.reading().section(items.get(i), policy.pathOf("limits") + "/" + i,
                    "permits", "per", "burst", "algorithm");
            Integer permits = s.required("permits", ValueTypes.integer(1, 1_000_000_000), "how many requests per period");
            Duration per = s.required("per", Durations.type(), "the period, such as 1s, 1m or 24h");
            Limit.Algorithm algorithm = s.get("algorithm", ValueTypes.word(Limit.Algorithm.class), Limit.Algorithm.TOKEN_BUCKET);
            long burst = s.get("burst", ValueTypes.integer(1, 1_000_000_000), permits == null ? 1 : permits);
            if (algorithm != Limit.Algorithm.TOKEN_BUCKET && s.has("burst")) {
                s.reject("burst", "no burst, since only algorithm tokenBucket uses it");
            }
            if (permits != null && per != null) {
                limits.add(new Limit(algorithm, permits, per, burst));
            }
        }
        return limits;
    }

    private static KeyPart keyPart(String text) {
        if ("clientIp".equals(text)) {
            return new KeyPart(KeyPart.Source.CLIENT_IP, "");
        }
        if ("route".equals(text)) {
            return new KeyPart(KeyPart.Source.ROUTE, "");
        }
        if ("consumer".equals(text)) {
            return new KeyPart(KeyPart.Source.CONSUMER, "");
        }
        if (text.startsWith("header:") && text.length() > 7 && text.substring(7).matches("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+")) {
            return new KeyPart(KeyPart.Source.HEADER, text.substring(7));
        }
        if (text.startsWith("claim:") && text.length() > 6 && text.substring(6).matches("[!#$%&'*+\\-.^_`|~0-9A-Za-z:]+")) {
            return new KeyPart(KeyPart.Source.CLAIM, text.substring(6));
        }
        return null;
    }
}
