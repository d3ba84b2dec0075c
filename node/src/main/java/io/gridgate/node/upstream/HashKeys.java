package io.gridgate.node.upstream;

import io.gridgate.node.config.LoadBalancerConfig.HashOn;
import io.gridgate.node.pipeline.ClientAddress;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;

import java.util.function.Function;

/** Reads a request's consistent-hashing key: a header, a cookie or the client address. */
final class HashKeys {

    private static final Function<HttpServerExchange, String> NONE = exchange -> null;

    private HashKeys() {
    }

    static Function<HttpServerExchange, String> of(java.util.Optional<HashOn> hashOn) {
        return hashOn.map(HashKeys::of).orElse(NONE);
    }

    private static Function<HttpServerExchange, String> of(HashOn hashOn) {
        return switch (hashOn.source()) {
            case HEADER -> exchange -> exchange.getRequestHeaders().getFirst(hashOn.name());
            case COOKIE -> exchange -> {
                Cookie cookie = exchange.getRequestCookie(hashOn.name());
                return cookie == null ? null : cookie.getValue();
            };
            case CLIENT_IP -> ClientAddress::of;
        };
    }
}
