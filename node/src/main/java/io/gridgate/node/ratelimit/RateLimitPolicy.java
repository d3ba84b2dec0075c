package io.gridgate.node.ratelimit;

import io.gridgate.cluster.ratelimit.RateLimit;
import io.gridgate.node.config.RateLimitConfig;
import io.undertow.server.HttpServerExchange;

import java.util.List;

/** A route's rate-limit policy compiled once: its grid limits, its key reader and its header values. */
final class RateLimitPolicy {

    private final RateLimitConfig config;
    private final String routeId;
    private final List<RateLimit> limits;
    private final String policyHeader;

    RateLimitPolicy(RateLimitConfig config, String routeId) {
        this.config = config;
        this.routeId = routeId;
        this.limits = config.limits().stream().map(RateLimitPolicy::limit).toList();
        StringBuilder header = new StringBuilder();
        for (RateLimitConfig.Limit limit : config.limits()) {
            header.append(header.length() == 0 ? "" : ", ").append('"').append(config.id()).append('"')
                    .append(";q=").append(limit.permits()).append(";w=").append(Math.max(1, limit.per().toSeconds()));
        }
        this.policyHeader = header.toString();
    }

    private static RateLimit limit(RateLimitConfig.Limit limit) {
        return limit.algorithm() == RateLimitConfig.Limit.Algorithm.TOKEN_BUCKET
                ? RateLimit.tokenBucket(limit.permits(), limit.per(), limit.burst())
                : RateLimit.slidingWindow(limit.permits(), limit.per());
    }

    RateLimitConfig config() {
        return config;
    }

    List<RateLimit> limits() {
        return limits;
    }

    /** The {@code RateLimit-Policy} value: one item per limit. */
    String policyHeader() {
        return policyHeader;
    }

    /** The counter key: the policy id, then each key part's value. */
    String key(HttpServerExchange exchange) {
        return RequestKeys.of(config.id(), config.key(), routeId, exchange);
    }
}
