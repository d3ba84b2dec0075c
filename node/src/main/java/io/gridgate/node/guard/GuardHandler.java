package io.gridgate.node.guard;

import io.gridgate.node.pipeline.LocalReply;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;

/**
 * The root of a traffic listener, in front of everything else: it tells the connection's
 * {@link GuardConduit} about each exchange, refuses the exchanges the conduit found broken, and checks
 * what the parsed request still shows (the number of header fields, the length of the target) where
 * nothing scanned the raw head: strict framing off, or HTTP/2.
 */
final class GuardHandler implements HttpHandler {

    private final int maxHeaders;
    private final int maxUrlBytes;
    private final boolean connectionLevel;
    private final HttpHandler next;

    /**
     * @param connectionLevel true for the listener's root, which sees every HTTP/1.1 exchange first;
     *     false behind an h2c upgrade handler, where only the HTTP/2 streams still need checking
     */
    GuardHandler(int maxHeaders, int maxUrlBytes, boolean connectionLevel, HttpHandler next) {
        this.maxHeaders = maxHeaders;
        this.maxUrlBytes = maxUrlBytes;
        this.connectionLevel = connectionLevel;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        GuardConduit conduit = GuardConduit.of(exchange.getConnection());
        Violation violation = null;
        if (conduit == null) {
            violation = parsed(exchange);
        } else if (connectionLevel) {
            violation = conduit.admit(exchange);
            if (violation == null && !conduit.scans()) {
                violation = parsed(exchange);
                if (violation != null) {
                    conduit.settle();
                }
            }
        }
        if (violation != null) {
            refuse(exchange, violation);
            return;
        }
        next.handleRequest(exchange);
    }

    private static void refuse(HttpServerExchange exchange, Violation violation) {
        exchange.setPersistent(false);
        LocalReply.send(exchange, violation.reason(), violation.message());
    }

    /** The checks that the parsed request still allows; the scanner makes them exactly, on raw bytes. */
    private Violation parsed(HttpServerExchange exchange) {
        String query = exchange.getQueryString();
        int target = exchange.getRequestURI().length() + (query.isEmpty() ? 0 : query.length() + 1);
        if (target > maxUrlBytes) {
            return Violation.URI_TOO_LONG;
        }
        HeaderMap headers = exchange.getRequestHeaders();
        int fields = 0;
        for (long cookie = headers.fastIterateNonEmpty(); cookie != -1L; cookie = headers.fiNextNonEmpty(cookie)) {
            fields += headers.fiCurrent(cookie).size();
        }
        return fields > maxHeaders ? Violation.TOO_MANY_HEADERS : null;
    }
}
