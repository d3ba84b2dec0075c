package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.cluster.BreakerBoard;
import io.gridgate.cluster.BreakerView;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.resilience.Breaker;
import io.gridgate.node.resilience.Breakers;
import io.undertow.server.HttpHandler;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * The circuit-breaker endpoints of the admin API: every node's breakers and their states, and an
 * operator's force-open and close, on every node ({@code ?scope=cluster}, the default) or on this
 * node only ({@code ?scope=node}).
 */
public final class BreakerHandlers {

    /** Breakers are named by service ({@code orders}) or by host and port ({@code 10.0.0.7:9000}). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\[\\]-]{0,127}");

    private final Breakers breakers;
    private final BreakerBoard board;
    private final String self;
    private final Optional<String> token;

    public BreakerHandlers(Breakers breakers, BreakerBoard board, String self, Optional<String> token) {
        this.breakers = breakers;
        this.board = board;
        this.self = self;
        this.token = token;
    }

    /** {@code GET /admin/breakers}: this node's breakers in detail, and every node's reported states. */
    public HttpHandler list() {
        return authorized(exchange -> AdminExchanges.respond(exchange, board.views(), Reason.GRID_UNAVAILABLE,
                views -> describe(views)));
    }

    private ObjectNode describe(List<BreakerView> views) {
        ObjectNode body = AdminExchanges.JSON.createObjectNode().put("member", self);
        ArrayNode local = body.putArray("breakers");
        for (Breaker breaker : breakers.all()) {
            ObjectNode node = local.addObject()
                    .put("name", breaker.name())
                    .put("state", breaker.state())
                    .put("failureRate", breaker.failureRate())
                    .put("slowCallRate", breaker.slowCallRate())
                    .put("bufferedCalls", breaker.bufferedCalls())
                    .put("notPermittedCalls", breaker.notPermittedCalls());
            if (breaker.state().equals("OPEN")) {
                node.put("retryAfterSeconds", breaker.retryAfterSeconds());
            }
        }
        ArrayNode cluster = body.putArray("cluster");
        views.stream()
                .sorted(java.util.Comparator.comparing(BreakerView::breaker).thenComparing(BreakerView::member))
                .forEach(view -> cluster.addObject()
                        .put("member", view.member())
                        .put("breaker", view.breaker())
                        .put("state", view.state())
                        .put("since", view.since().toString()));
        return body;
    }

    /** {@code POST /admin/breakers/{name}/open}: open until closed by an operator. */
    public HttpHandler forceOpen() {
        return command(true);
    }

    /** {@code POST /admin/breakers/{name}/close}: close and clear the window. */
    public HttpHandler forceClose() {
        return command(false);
    }

    private HttpHandler command(boolean open) {
        return authorized(exchange -> {
            String name = AdminExchanges.pathParameter(exchange, "name");
            if (!NAME.matcher(name).matches()) {
                AdminExchanges.reject(exchange, Reason.INVALID_REQUEST, "bad breaker name",
                        List.of(new FieldError("name", "\"" + name + "\"", "a service name or host:port")));
                return;
            }
            String scope = Optional.ofNullable(exchange.getQueryParameters().get("scope"))
                    .map(values -> values.getFirst()).orElse("cluster");
            if (!scope.equals("cluster") && !scope.equals("node")) {
                AdminExchanges.reject(exchange, Reason.INVALID_REQUEST, "bad scope",
                        List.of(new FieldError("scope", "\"" + scope + "\"", "cluster or node")));
                return;
            }
            boolean clusterWide = scope.equals("cluster");
            if (!clusterWide && breakers.find(name).isEmpty()) {
                LocalReply.send(exchange, Reason.BREAKER_NOT_FOUND, "this node has no breaker " + name);
                return;
            }
            CompletionStage<Void> done = open ? breakers.forceOpen(name, clusterWide) : breakers.forceClose(name, clusterWide);
            AdminExchanges.respond(exchange, done, Reason.GRID_UNAVAILABLE, ignored -> AdminExchanges.JSON.createObjectNode()
                    .put("breaker", name)
                    .put("state", open ? "FORCED_OPEN" : "CLOSED")
                    .put("scope", scope));
        });
    }

    private HttpHandler authorized(HttpHandler next) {
        return AdminExchanges.requireBearer(token, Reason.ADMIN_DISABLED, "gridgate-admin", next);
    }
}
