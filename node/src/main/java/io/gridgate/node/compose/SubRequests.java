package io.gridgate.node.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.gridgate.node.proxy.UpstreamChannels;
import io.gridgate.node.tracing.UpstreamSpan;
import io.gridgate.node.upstream.CallConnections;
import io.gridgate.node.upstream.Endpoint;
import io.gridgate.node.upstream.Upstream;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.WorkerUtils;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSourceChannel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The calls of compositions, made with Undertow's client on the I/O thread of the client's exchange:
 * the connection comes from the endpoint's {@link CallConnections} and every callback of the call
 * runs on that thread, so a call costs no hand-over between threads and a whole composition runs
 * where its answer is written. As for a proxied request, the upstream chooses the endpoint, its
 * breaker permits and records the call, its outlier detection hears the outcome, and the call is a
 * client span of the request's trace. Nothing here blocks.
 */
final class SubRequests {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(SubRequests.class.getName());

    private SubRequests() {
    }

    /**
     * GETs {@code pathAndQuery} from the endpoint {@code upstream} chooses and reads its JSON answer;
     * fails with a {@link CallFailure} that says why. Call on the exchange's I/O thread. Cancelling the
     * future gives the call up: its connection is closed and the breaker's permit returned unused.
     */
    static CompletableFuture<JsonNode> get(HttpServerExchange exchange, String call, Upstream upstream,
                                           String pathAndQuery, Map<String, String> headers, Duration timeout,
                                           long maxBodyBytes) {
        if (!upstream.breaker().tryAcquire()) {
            return CompletableFuture.failedFuture(new CallFailure(call, CallFailure.Kind.FAILED,
                    "the circuit breaker of " + upstream.name() + " is open"));
        }
        Endpoint endpoint = upstream.choose(exchange);
        if (endpoint == null) {
            upstream.breaker().release();
            return CompletableFuture.failedFuture(new CallFailure(call, CallFailure.Kind.FAILED,
                    "no endpoint of " + upstream.name() + " can take the request"));
        }
        Call sent = new Call(exchange, call, upstream, endpoint, pathAndQuery, headers, timeout, maxBodyBytes);
        sent.start();
        return sent;
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * One call, from borrowing a connection to the parsed answer. Whichever ends it first (the
     * answer, a failure, its timeout, or a cancel) sets {@code over}; callbacks that come later, such
     * as the failure a closed connection reports, find it set and do nothing.
     */
    private static final class Call extends CompletableFuture<JsonNode> implements CallConnections.Borrower {
        private final HttpServerExchange exchange;
        private final String id;
        private final Upstream upstream;
        private final Endpoint endpoint;
        private final String pathAndQuery;
        private final Map<String, String> headers;
        private final Duration timeout;
        private final long maxBodyBytes;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private UpstreamSpan span;
        private long startNanos;
        private XnioExecutor.Key timer;
        private CallConnections.Waiting waiting = CallConnections.Waiting.NONE;
        private ClientConnection connection;
        private boolean reused;
        private boolean retried;
        private int status;
        private boolean over;

        Call(HttpServerExchange exchange, String id, Upstream upstream, Endpoint endpoint, String pathAndQuery,
             Map<String, String> headers, Duration timeout, long maxBodyBytes) {
            this.exchange = exchange;
            this.id = id;
            this.upstream = upstream;
            this.endpoint = endpoint;
            this.pathAndQuery = pathAndQuery;
            this.headers = headers;
            this.timeout = timeout;
            this.maxBodyBytes = maxBodyBytes;
        }

        void start() {
            span = UpstreamSpan.start(exchange, upstream.name(), endpoint, pathAndQuery, 1);
            UpstreamSpan.call(span, id);
            startNanos = System.nanoTime();
            endpoint.started();
            timer = WorkerUtils.executeAfter(exchange.getIoThread(), this::timedOut, timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
            borrow(false);
        }

        private void borrow(boolean fresh) {
            waiting = endpoint.calls().borrow(exchange.getIoThread(), exchange.getConnection().getByteBufferPool(),
                    fresh, this);
        }

        @Override
        public void connected(ClientConnection borrowed, boolean wasUsed) {
            waiting = CallConnections.Waiting.NONE;
            if (over) {
                endpoint.calls().giveBack(borrowed); // unused: fit for the next call
                return;
            }
            connection = borrowed;
            reused = wasUsed;
            borrowed.sendRequest(request(), new ClientCallback<>() {
                @Override
                public void completed(ClientExchange sent) {
                    if (over || connection != borrowed) {
                        return;
                    }
                    sent.setResponseListener(new ClientCallback<>() {
                        @Override
                        public void completed(ClientExchange answered) {
                            if (!over && connection == borrowed) {
                                answered(answered);
                            }
                        }

                        @Override
                        public void failed(IOException e) {
                            connectionFailed(borrowed, e);
                        }
                    });
                    // A GET has no body: end the request, waiting for the socket if it cannot take the head at once.
                    UpstreamChannels.shutdownAndFlush(sent.getRequestChannel());
                }

                @Override
                public void failed(IOException e) {
                    connectionFailed(borrowed, e);
                }
            });
        }

        @Override
        public void failed(CallConnections.Refusal refusal, String reason) {
            waiting = CallConnections.Waiting.NONE;
            if (over) {
                return;
            }
            if (refusal == CallConnections.Refusal.CONNECT_FAILED) {
                failedToReach(reason);
                return;
            }
            // This node's own bound, or an endpoint that just left: not the upstream's failure, so
            // neither its breaker nor its outlier detection hears of it.
            end();
            upstream.breaker().release();
            UpstreamSpan.failed(span, refusal == CallConnections.Refusal.BUSY ? "pool_full" : "endpoint_gone");
            UpstreamSpan.end(span);
            log(reason);
            completeExceptionally(new CallFailure(id, CallFailure.Kind.FAILED, refusal == CallConnections.Refusal.BUSY
                    ? "every connection to " + upstream.name() + " is busy" : "no endpoint of " + upstream.name()
                    + " can take the request"));
        }

        /** What the client is not told (endpoint addresses, socket errors), for the operator. */
        private void log(String detail) {
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine("call " + id + " of " + exchange.getRequestPath() + ": " + detail);
            }
        }

        private ClientRequest request() {
            ClientRequest request = new ClientRequest().setMethod(Methods.GET).setPath(pathAndQuery);
            request.getRequestHeaders().put(Headers.HOST, endpoint.authority());
            request.getRequestHeaders().put(Headers.ACCEPT, "application/json");
            headers.forEach((name, value) -> request.getRequestHeaders().put(new HttpString(name), value));
            UpstreamSpan.inject(span, request.getRequestHeaders());
            return request;
        }

        private void answered(ClientExchange answered) {
            status = answered.getResponse().getResponseCode();
            String length = answered.getResponse().getResponseHeaders().getFirst(Headers.CONTENT_LENGTH);
            if (length != null && parseLength(length) > maxBodyBytes) {
                tooLarge();
                return;
            }
            StreamSourceChannel channel = answered.getResponseChannel();
            channel.getReadSetter().set(this::read);
            read(channel);
        }

        private static long parseLength(String length) {
            try {
                return Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** Reads what the socket has of the body; at its end the connection goes back for the next call. */
        private void read(StreamSourceChannel channel) {
            if (over) {
                return;
            }
            try (PooledByteBuffer pooled = exchange.getConnection().getByteBufferPool().allocate()) {
                ByteBuffer buffer = pooled.getBuffer();
                while (true) {
                    buffer.clear();
                    int read = channel.read(buffer);
                    if (read == 0) {
                        channel.resumeReads();
                        return;
                    }
                    if (read < 0) {
                        channel.getReadSetter().set(null);
                        endpoint.calls().giveBack(connection);
                        connection = null;
                        responded();
                        return;
                    }
                    if (body.size() + (long) read > maxBodyBytes) {
                        tooLarge();
                        return;
                    }
                    buffer.flip();
                    byte[] bytes = new byte[read];
                    buffer.get(bytes);
                    body.writeBytes(bytes);
                }
            } catch (IOException e) {
                connectionFailed(connection, e);
            }
        }

        private void responded() {
            long nanos = end();
            upstream.breaker().onResponse(status, nanos);
            upstream.report(endpoint, status >= 500);
            UpstreamSpan.responded(span, status);
            UpstreamSpan.end(span);
            if (status == 404) {
                completeExceptionally(new CallFailure(id, CallFailure.Kind.NOT_FOUND, upstream.name() + " answered 404"));
            } else if (status < 200 || status > 299) {
                completeExceptionally(new CallFailure(id, CallFailure.Kind.FAILED, upstream.name() + " answered " + status));
            } else {
                try {
                    complete(parse(body.toByteArray()));
                } catch (CallFailure notJson) {
                    completeExceptionally(notJson);
                }
            }
        }

        private JsonNode parse(byte[] bytes) {
            if (bytes.length == 0) {
                return NullNode.getInstance();
            }
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new CallFailure(id, CallFailure.Kind.FAILED, upstream.name() + " answered with a body that is not JSON");
            }
        }

        /** The body is past the bound: the rest is not read, so the connection cannot serve another call. */
        private void tooLarge() {
            long nanos = end();
            endpoint.calls().discard(connection);
            upstream.breaker().onResponse(status, nanos);
            UpstreamSpan.responded(span, status);
            UpstreamSpan.end(span);
            completeExceptionally(new CallFailure(id, CallFailure.Kind.FAILED, upstream.name()
                    + ": the response body is larger than " + maxBodyBytes + " bytes"));
        }

        /**
         * The connection failed. An idle one the upstream had closed fails before any answer; the GET
         * is then sent once more, on a new connection. Closing a connection makes it report its
         * failure again: only the call's current connection is heard.
         */
        private void connectionFailed(ClientConnection from, IOException e) {
            if (over || from != connection) {
                return;
            }
            connection = null;
            endpoint.calls().discard(from);
            if (reused && !retried && status == 0) {
                retried = true;
                borrow(true);
                return;
            }
            failedToReach("cannot reach " + endpoint + " (" + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }

        /** The upstream could not be reached; the client learns which upstream, not its address or the socket's error. */
        private void failedToReach(String detail) {
            long nanos = end();
            upstream.breaker().onFailure(nanos);
            upstream.report(endpoint, true);
            UpstreamSpan.failed(span, "connection");
            UpstreamSpan.end(span);
            log(detail);
            completeExceptionally(new CallFailure(id, CallFailure.Kind.FAILED, "cannot reach " + upstream.name()));
        }

        private void timedOut() {
            timer = null;
            if (over) {
                return;
            }
            long nanos = end();
            waiting.cancel();
            endpoint.calls().discard(connection);
            upstream.breaker().onFailure(nanos);
            upstream.report(endpoint, true);
            UpstreamSpan.failed(span, "timeout");
            UpstreamSpan.end(span);
            completeExceptionally(new CallFailure(id, CallFailure.Kind.TIMEOUT, upstream.name()
                    + " did not answer within " + timeout.toMillis() + " ms"));
        }

        /**
         * The composition gave the call up (its deadline passed): not the upstream's failure, since the
         * call may have started late, so the breaker's permit goes back unrecorded.
         */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (!over) {
                end();
                waiting.cancel();
                endpoint.calls().discard(connection);
                upstream.breaker().release();
                UpstreamSpan.failed(span, "cancelled");
                UpstreamSpan.end(span);
            }
            return super.cancel(mayInterruptIfRunning);
        }

        /** Marks the call over and returns how long it took. */
        private long end() {
            over = true;
            if (timer != null) {
                timer.remove();
                timer = null;
            }
            endpoint.finished();
            return System.nanoTime() - startNanos;
        }
    }
}
