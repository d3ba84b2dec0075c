package io.gridgate.node.pipeline;

import io.gridgate.node.routing.RouteMatch;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

/**
 * Answers CORS preflights itself, before authentication and rate limits: {@code 204} with the
 * route's {@code Access-Control-*} headers, or {@code 403 cors_rejected} without them. A preflight
 * never reaches an upstream. Actual requests pass on; {@link ResponseHeadersHandler} puts the
 * policy's headers on their responses when the response head is committed.
 */
public final class CorsHandler implements HttpHandler {

    static final HttpString REQUEST_METHOD = new HttpString("Access-Control-Request-Method");
    static final HttpString REQUEST_HEADERS = new HttpString("Access-Control-Request-Headers");

    private final HttpHandler next;

    public CorsHandler(HttpHandler next) {
        this.next = next;
    }

    /**
     * The method a CORS preflight asks about, or {@code null} when the request is not a preflight
     * (an {@code OPTIONS} request with {@code Origin} and {@code Access-Control-Request-Method}).
     */
    public static String preflightMethod(HttpServerExchange exchange) {
        if (!exchange.getRequestMethod().equals(Methods.OPTIONS)) {
            return null;
        }
        HeaderMap headers = exchange.getRequestHeaders();
        return headers.contains(Headers.ORIGIN) ? headers.getFirst(REQUEST_METHOD) : null;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        RouteMatch match = exchange.getAttachment(RouteMatch.KEY);
        if (!match.isPreflight()) {
            next.handleRequest(exchange);
            return;
        }
        CorsPolicy cors = match.route().cors();
        HeaderMap request = exchange.getRequestHeaders();
        String origin = request.getFirst(Headers.ORIGIN);
        CorsPolicy.PreflightAnswer answer = cors.preflight(origin, request.getFirst(REQUEST_METHOD),
                joined(request.get(REQUEST_HEADERS)));
        if (!answer.allowed()) {
            LocalReply.send(exchange, Reason.CORS_REJECTED, answer.refusal());
            return;
        }
        exchange.setStatusCode(StatusCodes.NO_CONTENT);
        cors.writePreflight(origin, exchange.getResponseHeaders());
        exchange.endExchange();
    }

    private static String joined(HeaderValues values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.getFirst() : String.join(",", values);
    }
}
