package io.gridgate.node.proxy;

import io.gridgate.node.config.RetryConfig.Condition;
import io.gridgate.node.config.RouteConfig;
import io.gridgate.node.config.TimeoutsConfig;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.resilience.Breaker;
import io.gridgate.node.resilience.RetryPolicy;
import io.gridgate.node.routing.RouteMatch;
import io.gridgate.node.tracing.UpstreamSpan;
import io.gridgate.node.upstream.Endpoint;
import io.gridgate.node.upstream.Upstream;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.ClientResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.util.Headers;
import io.undertow.util.Protocols;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import io.undertow.util.WorkerUtils;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One proxied exchange, from the first try to the last byte. Each try takes a breaker permission,
 * picks an endpoint (an untried one for a retry), connects and sends; a try that fails in a way
 * the route retries is followed, after a jittered backoff, by another, while tries, the retry
 * budget, the breaker and the total deadline allow. Every callback and timer runs on the
 * exchange's I/O thread (the pool and the client connection are per I/O thread), so the state
 * needs no locks; {@code done} makes the first outcome final, and callbacks of an abandoned try
 * are recognised by its number and ignored.
 */
final class ProxyCall implements Runnable {

    private final HttpServerExchange exchange;
    private final RouteMatch match;
    private final Upstream upstream;
    private final Breaker breaker;
    private final RetryPolicy retry;
    private final TimeoutsConfig timeouts;
    private final long perTryNanos;
    private final boolean upgrade;
    /** Whether this request may be tried more than once: the method, the route and the budget's business. */
    private final boolean retryable;

    /**
     * One timer per call, armed at the earliest deadline that matters and re-armed lazily when it
     * fires early: a fast exchange costs one schedule and one cancel, not one per stage.
     */
    private XnioExecutor.Key timer;
    private long timerAt;
    private long totalDeadline;
    private long stageDeadline;
    /** What a missed {@code stageDeadline} means; {@code null} while no stage is waiting. */
    private Reason stageReason;
    private Condition stageCondition;
    private long connectDeadline;
    private ClientConnection connection;
    private boolean done;

    /** The try under way, from 1; callbacks of earlier tries are ignored. */
    private int attempt;
    private Endpoint endpoint;
    /** True from a try's start until its outcome is known; callbacks of a try that is over are ignored. */
    private boolean tryActive;
    private long attemptStart;
    /** Endpoints tried so far; {@code null} until the first retry. */
    private List<Endpoint> tried;
    /** True while a breaker permission is held that no outcome has used yet. */
    private boolean permit = true;
    /** The request body, kept so that a retry can send it again; {@code null} when there is none or it streams. */
    private byte[] body;
    /** False once a streamed request body has started to flow: from then on only this try can carry it. */
    private boolean replayable = true;
    /** True once the whole response has been handed to the client (or the connection switched protocols). */
    private boolean responseEnded;
    /** The wait before the next try, drawn when the retry is decided. */
    private long backoffNanos;
    /** The current try's client span; {@code null} when the exchange is not traced. */
    private UpstreamSpan span;
    /** Whether the current try got a response head. */
    private boolean responded;

    /** @param upstream whose breaker has already given this call its first permission */
    ProxyCall(HttpServerExchange exchange, RouteMatch match, Upstream upstream) {
        this.exchange = exchange;
        this.match = match;
        this.upstream = upstream;
        this.breaker = upstream.breaker();
        this.retry = match.route().retry();
        this.timeouts = match.route().config().timeouts();
        this.perTryNanos = match.route().config().retry().perTryTimeout().map(d -> d.toNanos()).orElse(0L);
        this.upgrade = isUpgradeRequest(exchange);
        this.retryable = !upgrade && retry.mayRetry(exchange.getRequestMethod(), exchange.getRequestHeaders());
    }

    /** An HTTP/1.1 request asking to switch protocols, as a WebSocket handshake does. */
    private static boolean isUpgradeRequest(HttpServerExchange exchange) {
        return exchange.getProtocol().equals(Protocols.HTTP_1_1)
                && exchange.getRequestHeaders().contains(Headers.UPGRADE)
                && ForwardingHeaders.connectionTokens(exchange.getRequestHeaders()).contains(Headers.UPGRADE);
    }

    @Override
    public void run() {
        totalDeadline = System.nanoTime() + timeouts.total().toNanos();
        exchange.addExchangeCompleteListener((ex, next) -> {
            // Completing before the response ended means the client went away mid-exchange: the
            // upstream request is cut off too, or it would hang half-sent on a pooled connection.
            boolean cutOff = !done && !responseEnded;
            finish();
            if (cutOff) {
                UpstreamChannels.abort(connection);
            }
            next.proceed();
        });
        upstream.retryBudget().onRequest();
        if (retryable && !exchange.isRequestComplete() && hasBody()) {
            long length = exchange.getRequestContentLength();
            if (length > 0 && length <= retry.maxBufferedBody()) {
                armBy(totalDeadline);
                exchange.getRequestReceiver().receiveFullBytes((ex, bytes) -> {
                    body = bytes;
                    // A body that had to be waited for arrives inside Undertow's root-handler call,
                    // which ends the exchange on return unless it is dispatched again; a body that
                    // was all there already arrives outside a call, and dispatch() runs the try at once.
                    ex.dispatch(SameThreadExecutor.INSTANCE, this::startAttempt);
                }, (ex, e) -> fail(clientFailure(e)));
                return;
            }
        }
        startAttempt();
    }

    private boolean hasBody() {
        return exchange.getRequestContentLength() > 0 || exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
    }

    private void startAttempt() {
        if (done) {
            return;
        }
        attempt++;
        endpoint = attempt == 1 ? upstream.choose(exchange) : upstream.choose(exchange, tried);
        if (endpoint == null) {
            fail(Reason.NO_HEALTHY_UPSTREAM, "no healthy endpoint of upstream " + upstream.name());
            return;
        }
        if (tried != null) {
            tried.add(endpoint);
        }
        endpoint.started();
        span = UpstreamSpan.start(exchange, upstream.name(), endpoint, match.upstreamPath(), attempt);
        responded = false;
        tryActive = true;
        attemptStart = System.nanoTime();
        connection = null;
        long connectMillis = timeouts.connect().toMillis();
        connectDeadline = attemptStart + TimeUnit.MILLISECONDS.toNanos(connectMillis);
        if (perTryNanos > 0 && perTryNanos < connectDeadline - attemptStart) {
            connectDeadline = attemptStart + perTryNanos;
            connectMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(perTryNanos));
        }
        int thisAttempt = attempt;
        endpoint.connect(exchange, new Connecting(thisAttempt), connectMillis, upgrade);
        if (connection == null && isLive(thisAttempt)) {
            // No pooled connection was free: from here on the connect timeout runs.
            expectBy(connectDeadline, Reason.UPSTREAM_CONNECT_TIMEOUT, Condition.CONNECT_FAILURE);
        }
    }

    /** Whether callbacks of try {@code n} still matter. */
    private boolean isLive(int n) {
        return !done && tryActive && n == attempt;
    }

    /** The current try is over: its endpoint no longer counts it in flight. */
    private void endTryState() {
        if (tryActive) {
            tryActive = false;
            endpoint.finished();
        }
        UpstreamSpan.end(span);
    }

    /** The pool's answer for one try; answers for an abandoned try close what they bring. */
    private final class Connecting implements ProxyCallback<ProxyConnection> {
        private final int forAttempt;

        Connecting(int forAttempt) {
            this.forAttempt = forAttempt;
        }

        @Override
        public void completed(HttpServerExchange ex, ProxyConnection proxyConnection) {
            if (!isLive(forAttempt)) {
                // The pool hands a connection back when the exchange completes; one that no try
                // will use is closed, so it cannot be reused half-way through anything.
                if (!done) {
                    IoUtils.safeClose(proxyConnection.getConnection());
                }
                return;
            }
            stageReason = null;
            connection = proxyConnection.getConnection();
            connection.sendRequest(request(), new RequestSent(forAttempt));
        }

        @Override
        public void failed(HttpServerExchange ex) {
            if (isLive(forAttempt)) {
                // The pool reports its own queue timeout as a failure; ours fires at the same instant.
                endTry(System.nanoTime() - connectDeadline >= 0 ? Reason.UPSTREAM_CONNECT_TIMEOUT
                        : Reason.UPSTREAM_CONNECT_FAILED, Condition.CONNECT_FAILURE);
            }
        }

        @Override
        public void couldNotResolveBackend(HttpServerExchange ex) {
            if (isLive(forAttempt)) {
                endTry(Reason.UPSTREAM_CONNECT_FAILED, Condition.CONNECT_FAILURE);
            }
        }

        @Override
        public void queuedRequestFailed(HttpServerExchange ex) {
            if (isLive(forAttempt)) {
                fail(Reason.UPSTREAM_POOL_FULL);
            }
        }
    }

    private ClientRequest request() {
        ClientRequest request = new ClientRequest().setMethod(exchange.getRequestMethod());
        String query = exchange.getQueryString();
        request.setPath(query == null || query.isEmpty() ? match.upstreamPath() : match.upstreamPath() + "?" + query);
        ForwardingHeaders.copyRequest(exchange.getRequestHeaders(), request.getRequestHeaders(), upgrade);
        RouteConfig route = match.route().config();
        String host = route.hostHeader() == RouteConfig.HostHeader.UPSTREAM
                ? endpoint.authority() : exchange.getRequestHeaders().getFirst(Headers.HOST);
        request.getRequestHeaders().put(Headers.HOST, host == null ? endpoint.authority() : host);
        ForwardingHeaders.addForwarded(exchange, request.getRequestHeaders(), route.forwarded());
        UpstreamSpan.inject(span, request.getRequestHeaders());
        if (!exchange.isRequestComplete() && !request.getRequestHeaders().contains(Headers.CONTENT_LENGTH)) {
            // The client's own framing (chunked, or HTTP/2 frames) does not cross the hop.
            request.getRequestHeaders().put(Headers.TRANSFER_ENCODING, Headers.CHUNKED.toString());
        }
        return request;
    }

    /**
     * A client callback of one try. Closing an abandoned try's connection fires its failure
     * callback again, so callbacks of any try but the current one are ignored.
     */
    private abstract class AttemptCallback implements ClientCallback<ClientExchange> {
        final int sentAttempt;

        AttemptCallback(int sentAttempt) {
            this.sentAttempt = sentAttempt;
        }

        @Override
        public final void completed(ClientExchange clientExchange) {
            if (!isLive(sentAttempt)) {
                IoUtils.safeClose(clientExchange.getConnection());
                return;
            }
            onCompleted(clientExchange);
        }

        abstract void onCompleted(ClientExchange clientExchange);

        @Override
        public final void failed(IOException e) {
            if (isLive(sentAttempt)) {
                endTry(Reason.UPSTREAM_RESET, Condition.RESET);
            }
        }
    }

    /** Sends the request body once the head is written, then waits for the response head. */
    private final class RequestSent extends AttemptCallback {

        RequestSent(int sentAttempt) {
            super(sentAttempt);
        }

        @Override
        void onCompleted(ClientExchange clientExchange) {
            clientExchange.setResponseListener(new ResponseReceived(sentAttempt));
            long headDeadline = System.nanoTime() + timeouts.responseHeader().toNanos();
            if (perTryNanos > 0) {
                headDeadline = Math.min(headDeadline, attemptStart + perTryNanos);
            }
            expectBy(headDeadline, Reason.UPSTREAM_RESPONSE_TIMEOUT, Condition.TIMEOUT);
            StreamSinkChannel upstreamBody = clientExchange.getRequestChannel();
            if (body != null) {
                new KeptBody(sentAttempt, ByteBuffer.wrap(body)).handleEvent(upstreamBody);
            } else if (exchange.isRequestComplete()) {
                UpstreamChannels.shutdownAndFlush(upstreamBody);
            } else {
                replayable = false;
                Pump.start(exchange.getRequestChannel(), upstreamBody, exchange.getConnection().getByteBufferPool(),
                        UpstreamChannels::shutdownAndFlush,
                        e -> fail(clientFailure(e)),
                        e -> {
                            if (isLive(sentAttempt)) {
                                endTry(Reason.UPSTREAM_RESET, Condition.RESET);
                            }
                        });
            }
        }
    }

    /** Writes a kept request body, waiting for writability as often as the socket needs. */
    private final class KeptBody implements ChannelListener<StreamSinkChannel> {
        private final int sentAttempt;
        private final ByteBuffer buffer;

        KeptBody(int sentAttempt, ByteBuffer buffer) {
            this.sentAttempt = sentAttempt;
            this.buffer = buffer;
        }

        @Override
        public void handleEvent(StreamSinkChannel channel) {
            if (!isLive(sentAttempt)) {
                return;
            }
            try {
                while (buffer.hasRemaining()) {
                    if (channel.write(buffer) == 0) {
                        channel.getWriteSetter().set(this);
                        channel.resumeWrites();
                        return;
                    }
                }
                channel.getWriteSetter().set(null);
                UpstreamChannels.shutdownAndFlush(channel);
            } catch (IOException e) {
                endTry(Reason.UPSTREAM_RESET, Condition.RESET);
            }
        }
    }

    /** Copies the response head and streams the body to the client, unless the status is retried. */
    private final class ResponseReceived extends AttemptCallback {

        ResponseReceived(int sentAttempt) {
            super(sentAttempt);
        }

        @Override
        void onCompleted(ClientExchange clientExchange) {
            stageReason = null;
            ClientResponse response = clientExchange.getResponse();
            int status = response.getResponseCode();
            UpstreamSpan.responded(span, status);
            responded = true;
            exchange.putAttachment(UpstreamOutcome.KEY, new UpstreamOutcome(upstream.name(), endpoint.authority(),
                    status, System.nanoTime() - attemptStart, attempt));
            permit = false;
            breaker.onResponse(status, System.nanoTime() - attemptStart);
            upstream.report(endpoint, status >= 500);
            if (retry.retriesStatus(status) && mayRetry()) {
                endTryState();
                IoUtils.safeClose(clientExchange.getConnection());
                connection = null;
                retryAfterBackoff();
                return;
            }
            boolean switching = status == StatusCodes.SWITCHING_PROTOCOLS;
            exchange.setStatusCode(status);
            exchange.setReasonPhrase(response.getStatus());
            ForwardingHeaders.copyResponse(response.getResponseHeaders(), exchange.getResponseHeaders(), switching);
            if (switching && upgrade) {
                responseEnded = true;
                cancelTimer(); // an upgraded connection lives as long as both peers want it
                totalDeadline = Long.MAX_VALUE;
                exchange.upgradeChannel((clientSide, ex) -> UpstreamChannels.bridge(clientSide, clientExchange));
            }
            Pump.start(clientExchange.getResponseChannel(), exchange.getResponseChannel(),
                    exchange.getConnection().getByteBufferPool(), sink -> {
                        responseEnded = true;
                        UpstreamChannels.shutdownAndFlush(sink);
                    },
                    e -> {
                        upstream.report(endpoint, true);
                        fail(Reason.UPSTREAM_RESET);
                    },
                    e -> fail(Reason.CLIENT_ABORTED));
        }
    }


    /**
     * Ends the current try with a failure: the breaker and passive health hear of it, then the
     * request is tried again if the route retries this condition and everything else allows it.
     */
    private void endTry(Reason reason, Condition condition) {
        if (done) {
            return;
        }
        if (!tryActive) {
            fail(reason); // no try under way: reading the body, or waiting out a backoff
            return;
        }
        stageReason = null;
        UpstreamSpan.failed(span, reason.code());
        if (permit) {
            permit = false;
            breaker.onFailure(System.nanoTime() - attemptStart);
        }
        upstream.report(endpoint, true);
        endTryState();
        UpstreamChannels.abort(connection);
        connection = null;
        boolean resendable = replayable || condition == Condition.CONNECT_FAILURE;
        if (condition != null && retry.retriesOn(condition) && resendable && mayRetry()) {
            retryAfterBackoff();
        } else {
            fail(reason);
        }
    }

    /**
     * Whether one more try may go: the request and route allow it, tries and time remain, the
     * retry budget has room, and the breaker gives a permission, which the next try then holds.
     */
    private boolean mayRetry() {
        if (!retryable || attempt >= retry.attempts() || exchange.isResponseStarted()) {
            return false;
        }
        backoffNanos = retry.backoffNanos(attempt);
        if (System.nanoTime() + backoffNanos - totalDeadline >= 0) {
            return false;
        }
        if (!upstream.retryBudget().tryRetry() || !breaker.tryAcquire()) {
            return false;
        }
        permit = true;
        if (tried == null) {
            // Allocated only on the first retry: most requests never need it.
            tried = new ArrayList<>(retry.attempts());
            tried.add(endpoint);
        }
        return true;
    }

    private void retryAfterBackoff() {
        long millis = TimeUnit.NANOSECONDS.toMillis(backoffNanos);
        if (millis == 0) {
            startAttempt();
        } else {
            armBy(totalDeadline);
            WorkerUtils.executeAfter(exchange.getIoThread(), this::startAttempt, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** A body over the route's bound is the client's 413; any other read failure, an aborted request. */
    private static Reason clientFailure(Exception e) {
        return e instanceof RequestTooBigException ? Reason.PAYLOAD_TOO_LARGE : Reason.CLIENT_ABORTED;
    }

    private void fail(Reason reason) {
        fail(reason, reason.message() + " (upstream " + (endpoint == null ? upstream.name() : endpoint.toString()) + ")");
    }

    private void fail(Reason reason, String message) {
        if (done) {
            return;
        }
        UpstreamSpan.failed(span, reason.code());
        if (endpoint != null && !responded) {
            exchange.putAttachment(UpstreamOutcome.KEY, new UpstreamOutcome(upstream.name(), endpoint.authority(), 0,
                    System.nanoTime() - attemptStart, attempt));
        }
        finish();
        UpstreamChannels.abort(connection);
        LocalReply.send(exchange, reason, message);
    }


    private void finish() {
        if (!done) {
            endTryState();
        }
        if (!done && permit) {
            permit = false;
            breaker.release();
        }
        done = true;
        cancelTimer();
        if (upgrade && connection != null && !connection.isUpgraded()) {
            // Upgrade requests hold an exclusive connection that the pool will not take back.
            IoUtils.safeClose(connection);
        }
    }

    /** Starts a stage that must end by {@code deadline} (a {@link System#nanoTime()} value). */
    private void expectBy(long deadline, Reason reason, Condition condition) {
        stageDeadline = deadline;
        stageReason = reason;
        stageCondition = condition;
        armBy(Math.min(deadline, totalDeadline));
    }

    private void armBy(long at) {
        if (timer != null && at - timerAt >= 0) {
            return; // already armed early enough: it re-arms itself when it fires
        }
        cancelTimer();
        long delayMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(at - System.nanoTime() + 999_999));
        timer = WorkerUtils.executeAfter(exchange.getIoThread(), this::onTimer, delayMillis, TimeUnit.MILLISECONDS);
        timerAt = at;
    }

    private void onTimer() {
        timer = null;
        if (done) {
            return;
        }
        long now = System.nanoTime();
        if (now - totalDeadline >= 0) {
            endTry(Reason.UPSTREAM_TIMEOUT, null);
        } else if (stageReason != null && now - stageDeadline >= 0) {
            endTry(stageReason, stageCondition);
        } else if (totalDeadline != Long.MAX_VALUE) {
            armBy(stageReason != null ? Math.min(stageDeadline, totalDeadline) : totalDeadline);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.remove();
            timer = null;
        }
    }

}
