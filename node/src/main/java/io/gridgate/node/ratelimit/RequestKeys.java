package io.gridgate.node.ratelimit;

import io.gridgate.node.auth.Identity;
import io.gridgate.node.config.RateLimitConfig.KeyPart;
import io.gridgate.node.pipeline.ClientAddress;
import io.undertow.server.HttpServerExchange;

import java.util.List;

/**
 * Builds the counter key of a rate or concurrency limit from its key parts. A request that lacks a
 * header part (or, being anonymous, a consumer or claim) counts under the empty value, so leaving
 * it out is no way around a limit.
 */
final class RequestKeys {

    private RequestKeys() {
    }

    /** {@code prefix}, then {@code |name=value} for each part. */
    static String of(String prefix, List<KeyPart> parts, String routeId, HttpServerExchange exchange) {
        StringBuilder key = new StringBuilder(64).append(prefix);
        for (KeyPart part : parts) {
            key.append('|');
            switch (part.source()) {
                case ROUTE -> key.append("route=").append(routeId);
                case CLIENT_IP -> key.append("ip=").append(ClientAddress.of(exchange));
                case HEADER -> {
                    String value = exchange.getRequestHeaders().getFirst(part.name());
                    key.append(part.name()).append('=').append(value == null ? "" : value);
                }
                case CONSUMER -> {
                    Identity identity = exchange.getAttachment(Identity.KEY);
                    key.append("consumer=").append(identity == null ? "" : identity.consumer());
                }
                case CLAIM -> {
                    Identity identity = exchange.getAttachment(Identity.KEY);
                    Object value = identity == null ? null : identity.claims().get(part.name());
                    key.append("claim:").append(part.name()).append('=').append(value == null ? "" : value);
                }
            }
        }
        return key.toString();
    }
}
