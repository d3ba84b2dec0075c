package io.gridgate.node.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.node.auth.AuthHandler;
import io.gridgate.node.bff.ClientHandler;
import io.gridgate.node.routing.RouteClient;
import io.gridgate.node.config.ComposeConfig;
import io.gridgate.node.pipeline.ClientAddress;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.routing.Composite;
import io.gridgate.node.routing.RouteMatch;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers the requests of composite routes and hands every other request on (to the proxy). The
 * exchange waits, dispatched, while the calls run; the answer is written on its I/O thread. A
 * partial answer (an optional call failed) says so in {@value #PARTIAL} and in {@code _partial}.
 */
public final class ComposeHandler implements HttpHandler {

    /** The response header that lists the optional calls whose results are missing. */
    public static final String PARTIAL = "Gridgate-Partial";
    private static final HttpString PARTIAL_HEADER = new HttpString(PARTIAL);
    private static final Logger LOG = Logger.getLogger(ComposeHandler.class.getName());

    private final HttpHandler next;

    public ComposeHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        RouteMatch match = exchange.getAttachment(RouteMatch.KEY);
        Composite composite = match == null ? null : match.route().composite();
        if (composite == null) {
            next.handleRequest(exchange);
            return;
        }
        HttpString method = exchange.getRequestMethod();
        if (!method.equals(Methods.GET) && !method.equals(Methods.HEAD)) {
            LocalReply.methodNotAllowed(exchange, "GET, HEAD");
            return;
        }
        Composition composition = new Composition(composite, exchange, match.route().pathVariables(exchange),
                forwarded(exchange, composite.config()));
        // The run and its calls live on the exchange's I/O thread; a request that an earlier stage
        // resumed elsewhere goes back there first.
        Executor runOn = Thread.currentThread() == exchange.getIoThread() ? SameThreadExecutor.INSTANCE
                : exchange.getIoThread();
        exchange.dispatch(runOn, () -> composition.run().whenComplete((result, error) -> answer(exchange, result, error)));
    }

    /** The client headers every call carries: the route's list, the proven identity, and where the request came from. */
    private static Map<String, String> forwarded(HttpServerExchange exchange, ComposeConfig config) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : config.forwardHeaders()) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        List<HttpString> identity = exchange.getAttachment(AuthHandler.IDENTITY_HEADERS);
        if (identity != null) {
            for (HttpString name : identity) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    headers.put(name.toString(), value);
                }
            }
        }
        headers.put("X-Forwarded-For", ClientAddress.of(exchange));
        return headers;
    }

    private static void answer(HttpServerExchange exchange, Composition.Result result, Throwable error) {
        if (error != null) {
            Throwable cause = SubRequests.unwrap(error);
            if (cause instanceof CallFailure failure) {
                Reason reason = switch (failure.kind()) {
                    case TIMEOUT -> Reason.CALL_TIMEOUT;
                    case NOT_FOUND -> Reason.NOT_FOUND;
                    case FAILED -> Reason.CALL_FAILED;
                };
                LocalReply.send(exchange, reason, failure.getMessage(), "call",
                        SubRequests.JSON.getNodeFactory().textNode(failure.call()).toString(), headers -> { });
            } else {
                LOG.log(Level.WARNING, "composition of " + exchange.getRequestPath() + " failed", cause);
                LocalReply.send(exchange, Reason.INTERNAL);
            }
            return;
        }
        JsonNode document = result.document();
        RouteClient client = exchange.getAttachment(ClientHandler.CLIENT);
        if (client != null) {
            document = client.shape().apply(document);
        }
        if (!result.missing().isEmpty()) {
            exchange.getResponseHeaders().put(PARTIAL_HEADER, String.join(", ", result.missing()));
            if (document instanceof ObjectNode object) {
                var partial = object.putArray("_partial");
                result.missing().forEach(partial::add);
            }
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        byte[] body = document.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        if (exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(body));
        }
    }
}
