package io.gridgate.node.routing;

import io.gridgate.node.config.ComposeConfig;
import io.gridgate.node.config.RouteConfig;
import io.gridgate.node.upstream.Upstream;

import java.util.Map;

/**
 * A composite route's calls with their upstreams resolved, as the route table is compiled: each call
 * balances over, and is guarded by the breaker of, the same upstream a proxied route to it would use.
 *
 * @param upstreams by call id
 */
public record Composite(ComposeConfig config, Map<String, Upstream> upstreams) {

    public Composite {
        upstreams = Map.copyOf(upstreams);
    }

    static Composite compile(ComposeConfig config, RouteConfig route, RouteTable.UpstreamResolver resolver) {
        Map<String, Upstream> upstreams = new java.util.LinkedHashMap<>();
        config.calls().forEach(call -> upstreams.put(call.id(), resolver.resolve(call.upstream(), route)));
        return new Composite(config, upstreams);
    }
}
