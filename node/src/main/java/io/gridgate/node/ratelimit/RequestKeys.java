package io.gridgate.node.ratelimit;

import io.gridgate.node.auth.Identity;
import io.gridgate.node.config.RateLimitConfig.KeyPart;
import io.gridgate.node.pipeline.ClientAddress;
import io.undertow.server.HttpServerExchange;

import java.util.List;

/**
 * Builds the counter key of a rate or concurrency limit from its key parts. A request that lacks a
 * header part (or, being anonymous, a consumer or claim) counts under the empty value, so leaving
 * it out is no way around a limit. The admin API builds keys from values an operator gives; both
 * write each part the same way, so they name the same counters.
 */
final class RequestKeys {

    private RequestKeys() {
    }

    /** {@code prefix}, then {@code |name=value} for each part. */
    static String of(String prefix, List<KeyPart> parts, String routeId, HttpServerExchange exchange) {
        StringBuilder key = new StringBuilder(64).append(prefix);
        for (KeyPart part : parts) {
            label(key.append('|'), part).append(part.source() == KeyPart.Source.ROUTE ? routeId : value(part, exchange));
        }
        return key.toString();
    }

    /**
     * The key {@link #of(String, List, String, HttpServerExchange)} builds for a request with these
     * values: one per part other than {@code route}, in order; the route part is the route's id.
     */
    static String of(String prefix, List<KeyPart> parts, String routeId, List<String> values) {
        StringBuilder key = new StringBuilder(64).append(prefix);
        int next = 0;
        for (KeyPart part : parts) {
            label(key.append('|'), part).append(part.source() == KeyPart.Source.ROUTE ? routeId : values.get(next++));
        }
        return key.toString();
    }

    /**
     * A part as the config spells it: {@code clientIp}, {@code route}, {@code consumer},
     * {@code header:NAME} or {@code claim:NAME}.
     */
    static String spelled(KeyPart part) {
        return switch (part.source()) {
            case CLIENT_IP -> "clientIp";
            case ROUTE -> "route";
            case CONSUMER -> "consumer";
            case HEADER -> "header:" + part.name();
            case CLAIM -> "claim:" + part.name();
        };
    }

    private static StringBuilder label(StringBuilder key, KeyPart part) {
        return switch (part.source()) {
            case ROUTE -> key.append("route=");
            case CLIENT_IP -> key.append("ip=");
            case HEADER -> key.append(part.name()).append('=');
            case CONSUMER -> key.append("consumer=");
            case CLAIM -> key.append("claim:").append(part.name()).append('=');
        };
    }

    /** The request's value for a part other than {@code route}. */
    private static String value(KeyPart part, HttpServerExchange exchange) {
        Object value = switch (part.source()) {
            case CLIENT_IP -> ClientAddress.of(exchange);
            case HEADER -> exchange.getRequestHeaders().getFirst(part.name());
            case CONSUMER -> identity(exchange) == null ? null : identity(exchange).consumer();
            case CLAIM -> identity(exchange) == null ? null : identity(exchange).claims().get(part.name());
            case ROUTE -> throw new IllegalArgumentException("the route part's value is the route id");
        };
        return value == null ? "" : String.valueOf(value);
    }

    private static Identity identity(HttpServerExchange exchange) {
        return exchange.getAttachment(Identity.KEY);
    }
}
