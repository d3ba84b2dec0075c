package io.gridgate.node.admin;

import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

import java.util.ArrayList;
import java.util.List;

/**
 * The admin listener's routes, and the list of what it serves: the OpenAPI test compares that list
 * with the published document, so an endpoint cannot be added without being described.
 */
final class AdminRoutes {

    private final RoutingHandler routing = new RoutingHandler()
            .setFallbackHandler(exchange -> LocalReply.send(exchange, Reason.NO_ROUTE))
            .setInvalidMethodHandler(exchange -> LocalReply.send(exchange, Reason.METHOD_NOT_ALLOWED));
    private final List<String> endpoints = new ArrayList<>();

    AdminRoutes get(String template, HttpHandler handler) {
        return add(Methods.GET, template, handler);
    }

    AdminRoutes put(String template, HttpHandler handler) {
        return add(Methods.PUT, template, handler);
    }

    AdminRoutes post(String template, HttpHandler handler) {
        return add(Methods.POST, template, handler);
    }

    AdminRoutes delete(String template, HttpHandler handler) {
        return add(Methods.DELETE, template, handler);
    }

    AdminRoutes add(HttpString method, String template, HttpHandler handler) {
        routing.add(method, template, handler);
        endpoints.add(method + " " + template);
        return this;
    }

    HttpHandler handler() {
        return routing;
    }

    List<String> endpoints() {
        return List.copyOf(endpoints);
    }
}
