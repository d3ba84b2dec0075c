package io.gridgate.node.upstream;

import io.undertow.server.HttpServerExchange;

/** An upstream that is one fixed URL from the config. */
final class StaticUpstream implements Upstream {

    private final Endpoint endpoint;

    StaticUpstream(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public Endpoint choose(HttpServerExchange exchange) {
        return endpoint;
    }

    @Override
    public String name() {
        return endpoint.toString();
    }
}
