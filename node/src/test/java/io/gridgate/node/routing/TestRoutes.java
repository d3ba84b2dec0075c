package io.gridgate.node.routing;

import io.gridgate.node.resilience.Breaker;
import io.gridgate.node.resilience.RetryBudget;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.upstream.Endpoint;
import io.gridgate.node.upstream.Upstream;
import io.undertow.server.HttpServerExchange;

import java.net.URI;

/** Route tables compiled from YAML, with upstreams that only carry their URL for assertions. */
final class TestRoutes {

    private TestRoutes() {
    }

    static RouteTable table(String routesYaml) {
        var config = TestGateway.config("routes:\n" + routesYaml.stripIndent().indent(2));
        return RouteTable.compile(config.routes(), (upstream, route) -> new NamedUpstream(URI.create(upstream)));
    }

    /** Names itself by the URL's host; matching never asks it for an endpoint. */
    private record NamedUpstream(URI url) implements Upstream {
        @Override
        public Endpoint choose(HttpServerExchange exchange) {
            throw new UnsupportedOperationException("route matching must not choose endpoints");
        }

        @Override
        public String name() {
            return url.getHost();
        }

        @Override
        public Breaker breaker() {
            throw new UnsupportedOperationException("route matching must not consult breakers");
        }

        @Override
        public RetryBudget retryBudget() {
            throw new UnsupportedOperationException("route matching must not retry");
        }
    }
}
