package io.gridgate.node.pipeline;

import io.gridgate.node.routing.ExchangeRequestView;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Normalizes the request path once, before routing and every per-route check, with
 * {@link PathNormalizer}; the result travels in {@link ExchangeRequestView#NORMALIZED_PATH}, which
 * route matching reads and from which the upstream path is built. A path that cannot be normalized
 * safely gets {@code 400 invalid_path}.
 */
public final class NormalizePathHandler implements HttpHandler {

    private final HttpHandler next;

    public NormalizePathHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        PathNormalizer.Result result = PathNormalizer.normalize(ExchangeRequestView.rawPath(exchange));
        if (!result.ok()) {
            LocalReply.send(exchange, Reason.INVALID_PATH, Reason.INVALID_PATH.message() + ": " + result.problem());
            return;
        }
        exchange.putAttachment(ExchangeRequestView.NORMALIZED_PATH, result.path());
        next.handleRequest(exchange);
    }
}
