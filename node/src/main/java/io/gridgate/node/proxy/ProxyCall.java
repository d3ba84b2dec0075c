package io.gridgate.node.proxy;

import io.gridgate.node.config.RouteConfig;
import io.gridgate.node.config.TimeoutsConfig;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.routing.RouteMatch;
import io.gridgate.node.upstream.Endpoint;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.ClientResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.Protocols;
import io.undertow.util.StatusCodes;
import io.undertow.util.WorkerUtils;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;
import io.undertow.util.Transfer;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One proxied exchange, from connection to last byte. Every callback and timer of a call runs on
 * the exchange's I/O thread (the pool and the client connection are per I/O thread), so its state
 * needs no locks; {@code done} makes the first outcome final.
 */
final class ProxyCall implements Runnable, ProxyCallback<ProxyConnection> {

    private final HttpServerExchange exchange;
    private final RouteMatch match;
    private final Endpoint endpoint;
    private final TimeoutsConfig timeouts;
    private final boolean upgrade;

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
    private long connectDeadline;
    private ClientConnection connection;
    private boolean retried;
    private boolean done;
    /** Bumped by a resend, so late callbacks of the abandoned attempt are recognised and ignored. */
    private int attempt;

    ProxyCall(HttpServerExchange exchange, RouteMatch match, Endpoint endpoint) {
        this.exchange = exchange;
        this.match = match;
        this.endpoint = endpoint;
        this.timeouts = match.route().config().timeouts();
        this.upgrade = isUpgradeRequest(exchange);
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
        endpoint.started();
        exchange.addExchangeCompleteListener((ex, next) -> {
            finish();
            next.proceed();
        });
        connect();
    }

    private void connect() {
        long connectMillis = timeouts.connect().toMillis();
        connectDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connectMillis);
        endpoint.connect(exchange, this, connectMillis, upgrade);
        if (connection == null && !done) {
            // No pooled connection was free: from here on the connect timeout runs.
            expectBy(connectDeadline, Reason.UPSTREAM_CONNECT_TIMEOUT);
        }
    }

    @Override
    public void completed(HttpServerExchange exchange, ProxyConnection proxyConnection) {
        if (done) {
            return; // the pool returns the connection when the (already answered) exchange completes
        }
        stageReason = null;
        connection = proxyConnection.getConnection();
        connection.sendRequest(request(), new RequestSent(attempt));
    }

    @Override
    public void failed(HttpServerExchange exchange) {
        // The pool reports its own queue timeout as a failure; ours fires at the same instant.
        fail(System.nanoTime() - connectDeadline >= 0 ? Reason.UPSTREAM_CONNECT_TIMEOUT : Reason.UPSTREAM_CONNECT_FAILED);
    }

    @Override
    public void couldNotResolveBackend(HttpServerExchange exchange) {
        fail(Reason.UPSTREAM_CONNECT_FAILED);
    }

    @Override
    public void queuedRequestFailed(HttpServerExchange exchange) {
        fail(Reason.UPSTREAM_POOL_FULL);
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
        if (!exchange.isRequestComplete() && !request.getRequestHeaders().contains(Headers.CONTENT_LENGTH)) {
            // The client's own framing (chunked, or HTTP/2 frames) does not cross the hop.
            request.getRequestHeaders().put(Headers.TRANSFER_ENCODING, Headers.CHUNKED.toString());
        }
        return request;
    }

    /**
     * A client callback of one attempt. Closing an abandoned attempt's connection fires its failure
     * callback again, so callbacks of any attempt but the current one are ignored.
     */
    private abstract class AttemptCallback implements ClientCallback<ClientExchange> {
        final int sentAttempt;

        AttemptCallback(int sentAttempt) {
            this.sentAttempt = sentAttempt;
        }

        @Override
        public final void completed(ClientExchange clientExchange) {
            if (done || sentAttempt != attempt) {
                IoUtils.safeClose(clientExchange.getConnection());
                return;
            }
            onCompleted(clientExchange);
        }

        abstract void onCompleted(ClientExchange clientExchange);

        @Override
        public final void failed(IOException e) {
            if (sentAttempt == attempt) {
                retryOrFail(Reason.UPSTREAM_RESET);
            }
        }
    }

    /** Streams the request body once the head is written, then waits for the response head. */
    private final class RequestSent extends AttemptCallback {

        RequestSent(int sentAttempt) {
            super(sentAttempt);
        }

        @Override
        void onCompleted(ClientExchange clientExchange) {
            clientExchange.setResponseListener(new ResponseReceived(sentAttempt));
            expectBy(System.nanoTime() + timeouts.responseHeader().toNanos(), Reason.UPSTREAM_RESPONSE_TIMEOUT);
            StreamSinkChannel upstreamBody = clientExchange.getRequestChannel();
            if (exchange.isRequestComplete()) {
                shutdownAndFlush(upstreamBody);
            } else {
                Transfer.initiateTransfer(exchange.getRequestChannel(), upstreamBody,
                        ChannelListeners.closingChannelListener(), ProxyCall::shutdownAndFlush,
                        (channel, e) -> fail(Reason.CLIENT_ABORTED),
                        (channel, e) -> retryOrFail(Reason.UPSTREAM_RESET),
                        exchange.getConnection().getByteBufferPool());
            }
        }
    }

    /** Copies the response head and streams the body to the client. */
    private final class ResponseReceived extends AttemptCallback {

        ResponseReceived(int sentAttempt) {
            super(sentAttempt);
        }

        @Override
        void onCompleted(ClientExchange clientExchange) {
            stageReason = null;
            ClientResponse response = clientExchange.getResponse();
            match.target().upstream().report(endpoint, response.getResponseCode() >= 500);
            boolean switching = response.getResponseCode() == StatusCodes.SWITCHING_PROTOCOLS;
            exchange.setStatusCode(response.getResponseCode());
            exchange.setReasonPhrase(response.getStatus());
            ForwardingHeaders.copyResponse(response.getResponseHeaders(), exchange.getResponseHeaders(), switching);
            if (switching && upgrade) {
                cancelTimer(); // an upgraded connection lives as long as both peers want it
                totalDeadline = Long.MAX_VALUE;
                exchange.upgradeChannel((clientSide, ex) -> bridge(clientSide, clientExchange));
            }
            Transfer.initiateTransfer(clientExchange.getResponseChannel(), exchange.getResponseChannel(),
                    ChannelListeners.closingChannelListener(), ProxyCall::shutdownAndFlush,
                    (channel, e) -> fail(Reason.UPSTREAM_RESET),
                    (channel, e) -> fail(Reason.CLIENT_ABORTED),
                    exchange.getConnection().getByteBufferPool());
        }
    }

    private void bridge(StreamConnection clientSide, ClientExchange clientExchange) {
        StreamConnection upstreamSide;
        try {
            upstreamSide = clientExchange.getConnection().performUpgrade();
        } catch (IOException e) {
            IoUtils.safeClose(clientSide);
            return;
        }
        ChannelListener<StreamSinkChannel> closeWhenFlushed = ChannelListeners.writeShutdownChannelListener(
                ChannelListeners.flushingChannelListener(ChannelListeners.closingChannelListener(),
                        ChannelListeners.closingChannelExceptionHandler()),
                ChannelListeners.closingChannelExceptionHandler());
        Transfer.initiateTransfer(upstreamSide.getSourceChannel(), clientSide.getSinkChannel(),
                ChannelListeners.closingChannelListener(), closeWhenFlushed,
                (c, e) -> IoUtils.safeClose(clientSide, upstreamSide), (c, e) -> IoUtils.safeClose(clientSide, upstreamSide),
                clientExchange.getConnection().getBufferPool());
        Transfer.initiateTransfer(clientSide.getSourceChannel(), upstreamSide.getSinkChannel(),
                ChannelListeners.closingChannelListener(), closeWhenFlushed,
                (c, e) -> IoUtils.safeClose(clientSide, upstreamSide), (c, e) -> IoUtils.safeClose(clientSide, upstreamSide),
                clientExchange.getConnection().getBufferPool());
    }

    /**
     * A pooled keep-alive connection may have been closed by the upstream just as it was reused.
     * A request with no body and an idempotent method can safely go once more on a new connection.
     */
    private void retryOrFail(Reason reason) {
        if (done) {
            return;
        }
        if (!retried && !exchange.isResponseStarted() && isSafeToResend()) {
            retried = true;
            attempt++;
            stageReason = null;
            IoUtils.safeClose(connection);
            connection = null;
            connect();
            return;
        }
        fail(reason);
    }

    private boolean isSafeToResend() {
        boolean noBody = exchange.getRequestContentLength() <= 0
                && !exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
        return noBody && !upgrade && isIdempotent();
    }

    private boolean isIdempotent() {
        var method = exchange.getRequestMethod();
        return method.equals(Methods.GET) || method.equals(Methods.HEAD) || method.equals(Methods.OPTIONS)
                || method.equals(Methods.PUT) || method.equals(Methods.DELETE) || method.equals(Methods.TRACE);
    }

    private void fail(Reason reason) {
        if (done) {
            return;
        }
        finish();
        if (reason.blamesUpstream()) {
            match.target().upstream().report(endpoint, true);
        }
        // The connection is mid-exchange: it can never be reused.
        IoUtils.safeClose(connection);
        LocalReply.send(exchange, reason, reason.message() + " (upstream " + endpoint + ")");
    }

    private void finish() {
        if (!done) {
            endpoint.finished();
        }
        done = true;
        cancelTimer();
        if (upgrade && connection != null && !connection.isUpgraded()) {
            // Upgrade requests hold an exclusive connection that the pool will not take back.
            IoUtils.safeClose(connection);
        }
    }

    /** Starts a stage that must end by {@code deadline} (a {@link System#nanoTime()} value). */
    private void expectBy(long deadline, Reason reason) {
        stageDeadline = deadline;
        stageReason = reason;
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
            fail(Reason.UPSTREAM_TIMEOUT);
        } else if (stageReason != null && now - stageDeadline >= 0) {
            fail(stageReason);
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

    /** Ends a body: shut the sink down and flush it, waiting for writability if the socket is full. */
    private static void shutdownAndFlush(StreamSinkChannel channel) {
        try {
            channel.shutdownWrites();
            if (!channel.flush()) {
                channel.getWriteSetter().set(ChannelListeners.flushingChannelListener(
                        c -> c.getWriteSetter().set(null), ChannelListeners.closingChannelExceptionHandler()));
                channel.resumeWrites();
            }
        } catch (IOException e) {
            IoUtils.safeClose(channel);
        }
    }
}
