package io.gridgate.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What every admin endpoint does alike: bearer-token checks, JSON answers, answers that wait for the grid. */
final class AdminExchanges {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(AdminExchanges.class.getName());

    private AdminExchanges() {
    }

    /**
     * Lets a request through only with {@code Authorization: Bearer <token>}; without a configured
     * token the endpoints are off and answer {@code whenOff}.
     */
    static HttpHandler requireBearer(Optional<String> token, Reason whenOff, String realm, HttpHandler next) {
        Optional<byte[]> expected = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        return exchange -> {
            if (expected.isEmpty()) {
                LocalReply.send(exchange, whenOff);
                return;
            }
            String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
            byte[] presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
            // Constant-time, so response timing does not reveal how much of a guess was right.
            if (!MessageDigest.isEqual(presented, expected.get())) {
                LocalReply.challenge(exchange, "Bearer realm=\"" + realm + "\"");
                return;
            }
            next.handleRequest(exchange);
        };
    }

    /**
     * What a {@link Reply} returns when it handed the exchange to another asynchronous step, which
     * answers: the exchange is neither answered nor ended here.
     */
    static final JsonNode LATER = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();

    /** Sets the status and returns the body, null for none (or when it already replied), or {@link #LATER}. */
    interface Reply<T> {
        JsonNode apply(T value) throws JsonProcessingException;
    }

    /** Answers when the grid does, on the exchange's I/O thread; the exchange waits, dispatched. */
    static <T> void respond(HttpServerExchange exchange, CompletionStage<T> stage, Reason onError, Reply<T> reply) {
        // The reply runs on the exchange's I/O thread, never on the grid's: a grid thread may not make
        // the next grid call a reply can start (a change after a read), and must not be held by replies.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> stage.whenComplete((value, error) -> exchange.getIoThread().execute(() -> {
            if (error != null) {
                LOG.log(Level.FINE, "admin request " + exchange.getRequestPath() + ": the grid failed", error);
                LocalReply.send(exchange, onError);
                return;
            }
            try {
                JsonNode body = reply.apply(value);
                if (body == LATER) {
                    return;
                }
                if (body != null) {
                    send(exchange, body);
                } else if (!exchange.isResponseStarted()) {
                    exchange.endExchange();
                }
            } catch (JsonProcessingException | RuntimeException e) {
                // A callback's exception would vanish into the future and leave the client waiting.
                LOG.log(Level.WARNING, "admin request " + exchange.getRequestMethod() + " " + exchange.getRequestPath()
                        + " failed", e);
                LocalReply.send(exchange, Reason.INTERNAL);
            }
        })));
    }

    static void send(HttpServerExchange exchange, JsonNode body) throws JsonProcessingException {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(JSON.writeValueAsString(body));
    }

    /** A 4xx whose problems are in the request, each with its field and the constraint it breaks. */
    static void reject(HttpServerExchange exchange, Reason reason, String message, List<FieldError> errors) {
        LocalReply.send(exchange, reason, message, "errors", FieldError.json(errors).toString(), headers -> { });
    }

    /** A 4xx for one problem of the request, whose line is also the reply's message. */
    static void reject(HttpServerExchange exchange, Reason reason, FieldError error) {
        reject(exchange, reason, error.message(), List.of(error));
    }

    /**
     * Reads a body of at most {@code maxBytes} and hands it on; a larger one is a 413. The bound
     * holds for a chunked body too, as it arrives: {@code setMaxEntitySize} would not bound it,
     * since Undertow fixes a chunked request's limit when it parses the head. Undertow then reads
     * and discards the rest of a refused body: closing at once would reset the connection under
     * unread bytes, and the client would never see the 413.
     *
     * @param what the body's name in the 413's message, e.g. {@code "a registration"}
     */
    static void receiveAtMost(HttpServerExchange exchange, String what, int maxBytes, Receiver.FullBytesCallback next) {
        if (exchange.getRequestContentLength() > maxBytes) {
            tooLarge(exchange, what, maxBytes);
            return;
        }
        Receiver receiver = exchange.getRequestReceiver();
        receiver.setMaxBufferSize(maxBytes);
        receiver.receiveFullBytes(next, (ex, e) -> {
            if (e instanceof Receiver.RequestToLargeException || e instanceof RequestTooBigException) {
                tooLarge(ex, what, maxBytes);
            } else {
                LocalReply.send(ex, Reason.INVALID_REQUEST, "the request body could not be read");
            }
        });
    }

    /**
     * A 413 for a body over {@code maxBytes}, with the body itself as the field at fault: a request
     * fault like any other, so clients read it from {@code errors} as they read a 400's.
     */
    static void tooLarge(HttpServerExchange exchange, String what, int maxBytes) {
        reject(exchange, Reason.PAYLOAD_TOO_LARGE, what + " is at most " + maxBytes + " bytes",
                List.of(new FieldError("", "a larger body", "at most " + maxBytes + " bytes")));
    }

    static String pathParameter(HttpServerExchange exchange, String name) {
        var values = exchange.getQueryParameters().get(name);
        return values == null ? "" : values.getFirst();
    }
}
