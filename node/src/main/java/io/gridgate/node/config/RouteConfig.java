package io.gridgate.node.config;

import java.util.List;
import java.util.Optional;

/**
 * One route: what it matches and where it sends what it matched.
 *
 * @param upstream the target when the route is not versioned, an {@code http(s)://} URL or
 *     {@code service:<name>} for a registered service; empty exactly when {@code versions} or {@code compose} is present
 * @param forwarded also send an RFC 7239 {@code Forwarded} header beside the {@code X-Forwarded-*} ones
 * @param deprecation marks every response of the route as deprecated
 * @param retry when a failed try is sent again, possibly to another instance
 * @param fallback what to answer while the upstream's circuit breaker is open; empty: 503
 * @param auth who may use the route; empty: anyone
 * @param ipRules client addresses allowed or denied on this route, after the global rules
 * @param maxBodyBytes bound on request bodies; empty: {@code server.limits.maxBodyBytes}
 * @param cors which browser origins may call the route, and the preflights the gateway answers; empty: no CORS
 * @param responseHeaders headers set on and removed from the route's responses, after the server's
 * @param cache the route's response cache; empty: responses are not cached
 * @param compose the calls a composite route answers with; then it has no {@code upstream}
 * @param clients the route's Backend-For-Frontend clients: request edits and response shapes per client
 */
public record RouteConfig(
        String id,
        MatchConfig match,
        Optional<String> upstream,
        Optional<VersionsConfig> versions,
        RewriteConfig rewrite,
        HostHeader hostHeader,
        boolean forwarded,
        TimeoutsConfig timeouts,
        PoolConfig pool,
        LoadBalancerConfig loadBalancer,
        List<RateLimitConfig> rateLimits,
        List<ConcurrencyConfig> concurrency,
        Optional<DeprecationConfig> deprecation,
        RetryConfig retry,
        Optional<FallbackConfig> fallback,
        Optional<RouteAuthConfig> auth,
        IpRulesConfig ipRules,
        Optional<Long> maxBodyBytes,
        Optional<CorsConfig> cors,
        ResponseHeadersConfig responseHeaders,
        Optional<CacheConfig> cache,
        Optional<ComposeConfig> compose,
        List<ClientConfig> clients) {

    public RouteConfig {
        clients = List.copyOf(clients);
        rateLimits = List.copyOf(rateLimits);
        concurrency = List.copyOf(concurrency);
    }

    /** The prefix of an upstream that names a registered service. */
    public static final String SERVICE_PREFIX = "service:";

    /** What the upstream sees as {@code Host}. */
    public enum HostHeader {
        /** The client's {@code Host}, unchanged. */
        PRESERVE,
        /** The upstream's own {@code host:port}. */
        UPSTREAM
    }
}
