package io.gridgate.node.ratelimit;

import io.gridgate.cluster.ratelimit.RateLimit;
import io.gridgate.node.config.RateLimitConfig;
import io.undertow.server.HttpServerExchange;

import java.util.List;

/**
 * A route's rate-limit policy compiled once: its grid limits, its key reader and its header values.
 * Public for the admin API, which reads the counters a request would be charged to.
 */
public final class RateLimitPolicy {

    private final RateLimitConfig config;
    private final String routeId;
    private final List<RateLimit> limits;
    private final String policyHeader;
    private final List<String> valueParts;

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
        this.valueParts = config.key().stream().filter(part -> part.source() != RateLimitConfig.KeyPart.Source.ROUTE)
                .map(RequestKeys::spelled).toList();
    }

    public static RateLimitPolicy of(RateLimitConfig config, String routeId) {
        return new RateLimitPolicy(config, routeId);
    }

    private static RateLimit limit(RateLimitConfig.Limit limit) {
        return limit.algorithm() == RateLimitConfig.Limit.Algorithm.TOKEN_BUCKET
                ? RateLimit.tokenBucket(limit.permits(), limit.per(), limit.burst())
                : RateLimit.slidingWindow(limit.permits(), limit.per());
    }

    public RateLimitConfig config() {
        return config;
    }

    public List<RateLimit> limits() {
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

    /**
     * The key parts an operator gives a value for, as the config spells them: every part but
     * {@code route}, whose value is the route's id.
     */
    public List<String> valueParts() {
        return valueParts;
    }

    /** The counter key of a request with these values, one per {@link #valueParts()} in order. */
    public String key(List<String> values) {
        if (values.size() != valueParts.size()) {
            throw new IllegalArgumentException("values: " + values.size() + " (expected: " + valueParts.size() + ")");
        }
        return RequestKeys.of(config.id(), config.key(), routeId, values);
    }
}
