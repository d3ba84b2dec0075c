package io.gridgate.node.admin;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

import java.util.Map;
import java.util.stream.Collectors;

/** {@code /health/live} and {@code /health/ready}: the probes a balancer or Kubernetes polls. */
public final class HealthHandlers {

    private HealthHandlers() {
    }

    /** Live as long as the process can answer; restarting a live node would not help it. */
    public static HttpHandler live() {
        return exchange -> reply(exchange, StatusCodes.OK, "{\"status\":\"UP\"}");
    }

    /** Ready only when the member has joined and the config is loaded, and not while draining. */
    public static HttpHandler ready(Readiness readiness) {
        return exchange -> {
            Map<String, Boolean> states = readiness.states();
            boolean ready = states.values().stream().allMatch(Boolean::booleanValue);
            String checks = states.entrySet().stream()
                    .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                    .collect(Collectors.joining(",", "{", "}"));
            reply(exchange, ready ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
                    "{\"status\":\"" + (ready ? "UP" : "DOWN") + "\",\"checks\":" + checks + "}");
        };
    }

    private static void reply(HttpServerExchange exchange, int status, String json) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(json);
    }
}
