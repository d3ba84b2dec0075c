package io.gridgate.node.pipeline;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.logging.Level;
import java.util.logging.Logger;

/** The outermost guard: a bug in a handler becomes a logged 500 with a JSON body, never a stack trace. */
public final class ErrorHandler implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(ErrorHandler.class.getName());

    private final HttpHandler next;

    public ErrorHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        try {
            next.handleRequest(exchange);
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "request " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed", e);
            LocalReply.send(exchange, Reason.INTERNAL);
        }
    }
}
