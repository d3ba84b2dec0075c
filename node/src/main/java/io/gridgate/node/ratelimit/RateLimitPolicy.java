package io.gridgate.node.ratelimit;

import io.gridgate.cluster.ratelimit.RateLimit;
import io.gridgate.node.config.RateLimitConfig;
import io.gridgate.node.config.RateLimitConfig.KeyPart;
import io.gridgate.node.pipeline.ClientAddress;
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

    /**
     * The counter key: policy id, then each key part. A request that lacks a header part counts
     * under the empty value, so a client cannot escape a limit by leaving the header out.
     */
    String key(HttpServerExchange exchange) {
        StringBuilder key = new StringBuilder(64).append(config.id());
        for (KeyPart part : config.key()) {
            key.append('|');
            switch (part.source()) {
                case ROUTE -> key.append("route=").append(routeId);
                case CLIENT_IP -> key.append("ip=").append(ClientAddress.of(exchange));
                case HEADER -> {
                    String value = exchange.getRequestHeaders().getFirst(part.name());
                    key.append(part.name()).append('=').append(value == null ? "" : value);
                }
            }
        }
        return key.toString();
    }
}
