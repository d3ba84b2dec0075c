package io.gridgate.node.routing;

import io.gridgate.node.config.ClientConfig;
import io.gridgate.node.shape.JsonShape;

/** A Backend-For-Frontend client of a route, its response shape compiled with the route table. */
public record RouteClient(ClientConfig config, JsonShape shape) {

    static RouteClient compile(ClientConfig config) {
        return new RouteClient(config, JsonShape.compile(config.response()));
    }
}
