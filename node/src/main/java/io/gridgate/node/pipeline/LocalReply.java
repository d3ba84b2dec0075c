package io.gridgate.node.pipeline;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import org.xnio.IoUtils;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one way the gateway answers a request itself: a JSON error body with a typed {@link Reason},
 * which is also attached to the exchange for the access log and the span.
 */
public final class LocalReply {

    /** The reason of a local reply, for whoever logs or traces the exchange afterwards. */
    public static final AttachmentKey<Reason> REASON = AttachmentKey.create(Reason.class);

    private LocalReply() {
    }

    /** Replies with the reason's status and message. */
    public static void send(HttpServerExchange exchange, Reason reason) {
        send(exchange, reason, reason.message());
    }

    /**
     * Replies with the reason's status and a specific message. If the response has already started
     * (an upstream failed mid-body) the only honest signal left is to close the connection.
     */
    public static void send(HttpServerExchange exchange, Reason reason, String message) {
        if (begin(exchange, reason)) {
            write(exchange, reason, json(reason, message));
        }
    }

    /** A reply with headers of its own, such as {@code Retry-After}; they survive the reply's reset of headers. */
    public static void send(HttpServerExchange exchange, Reason reason, String message, Consumer<HeaderMap> headers) {
        if (begin(exchange, reason)) {
            headers.accept(exchange.getResponseHeaders());
            write(exchange, reason, json(reason, message));
        }
    }

    /**
     * A reply with one more field, already JSON ({@code extraJson}), such as the problems of an
     * invalid request, and headers of its own.
     */
    public static void send(HttpServerExchange exchange, Reason reason, String message, String extraKey,
                            String extraJson, Consumer<HeaderMap> headers) {
        send(exchange, reason, message, Map.of(extraKey, extraJson), headers);
    }

    /** A reply with more fields, each value already JSON, in the map's order, and headers of its own. */
    public static void send(HttpServerExchange exchange, Reason reason, String message, Map<String, String> extraJson,
                            Consumer<HeaderMap> headers) {
        if (begin(exchange, reason)) {
            headers.accept(exchange.getResponseHeaders());
            StringBuilder body = new StringBuilder(json(reason, message));
            body.setLength(body.length() - 1);
            extraJson.forEach((key, json) -> {
                body.append(",\"");
                JsonStringEncoder.getInstance().quoteAsString(key, body);
                body.append("\":").append(json);
            });
            write(exchange, reason, body.append('}').toString());
        }
    }

    /** A 401 that tells the client how to authenticate ({@code WWW-Authenticate}). */
    public static void challenge(HttpServerExchange exchange, String wwwAuthenticate) {
        send(exchange, Reason.UNAUTHORIZED, Reason.UNAUTHORIZED.message(),
                headers -> headers.put(Headers.WWW_AUTHENTICATE, wwwAuthenticate));
    }

    /** A 405 that names the methods the path does accept. */
    public static void methodNotAllowed(HttpServerExchange exchange, String allowed) {
        send(exchange, Reason.METHOD_NOT_ALLOWED, Reason.METHOD_NOT_ALLOWED.message() + "; allowed: " + allowed,
                headers -> headers.put(Headers.ALLOW, allowed));
    }

    private static boolean begin(HttpServerExchange exchange, Reason reason) {
        exchange.putAttachment(REASON, reason);
        if (exchange.isResponseStarted()) {
            IoUtils.safeClose(exchange.getConnection());
            return false;
        }
        exchange.getResponseHeaders().clear();
        return true;
    }

    private static void write(HttpServerExchange exchange, Reason reason, String json) {
        exchange.setStatusCode(reason.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.setResponseContentLength(body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    /** The JSON body of a local reply; public for replies written below Undertow, as the framing guard's. */
    public static String json(Reason reason, String message) {
        StringBuilder out = new StringBuilder(96 + message.length());
        out.append("{\"status\":").append(reason.status())
                .append(",\"error\":\"").append(reason.code())
                .append("\",\"message\":\"");
        JsonStringEncoder.getInstance().quoteAsString(message, out);
        return out.append("\"}").toString();
    }
}
