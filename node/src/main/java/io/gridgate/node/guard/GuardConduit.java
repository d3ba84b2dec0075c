package io.gridgate.node.guard;

import io.undertow.server.AbstractServerConnection;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.server.protocol.http.PipeliningBufferingStreamSinkConduit;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bottom of one HTTP/1.1 connection's source: every byte from the socket passes here once, on its
 * way to Undertow's parser, and is scanned when strict framing is on (a {@link HeadScanner}).
 *
 * <p>A violation is attributed to the request it occurs in, request {@code k}, and acted on at once
 * if it can be: when no exchange is running and {@code k} has not been dispatched (Undertow is parsing
 * its head), this conduit writes the refusal itself, hides the bytes from Undertow and lingers
 * briefly before closing; when {@code k} is already dispatched (the violation is in its body), the
 * connection is closed. Otherwise the request before {@code k} is still running (pipelining): the
 * bytes are passed on, and when that exchange completes, {@code k}'s bytes are dropped from Undertow's
 * pipelined input and the refusal follows the responses before it. Should Undertow dispatch exchange
 * {@code k} anyway, the {@link GuardHandler} refuses it.
 *
 * <p>It also closes the connection when a request body stalls: while a dispatched exchange still
 * expects body bytes and a reader waits for them (reads resumed), no byte may take longer than the
 * body read timeout to arrive. Time when nobody reads (an upstream pushing back) does not count.
 *
 * <p>The guard handler finds this conduit as the connection's original source conduit: Undertow's
 * open listener adds none above it unless {@code IDLE_TIMEOUT}, {@code READ_TIMEOUT} or connector
 * statistics are set, which Gridgate does not set. All methods run on the connection's I/O thread.
 */
final class GuardConduit extends AbstractStreamSourceConduit<StreamSourceConduit> implements ExchangeCompletionListener {

    private static final Logger LOG = Logger.getLogger(GuardConduit.class.getName());

    /** After refusing, input is read and dropped for this long, so the client can read the refusal. */
    static final long LINGER_MILLIS = 2_000;
    /** ... or until this much input has been dropped. */
    static final long LINGER_BYTES = 1 << 20;

    private final StreamConnection connection;
    private final HeadScanner scanner;
    private final long bodyReadTimeoutMillis;
    private final Runnable checkStall = this::checkStall;

    /** Exchanges Undertow dispatched to the guard handler: HTTP/1.1 runs them one at a time, in order. */
    private volatile int dispatched;
    /** The exchange dispatched last, which may still run. */
    private HttpServerExchange current;
    /** The exchange whose completion this conduit listens for, if any. */
    private HttpServerExchange listened;
    private HttpServerConnection server;
    private HttpServerExchange bodyExchange;
    /** The guard handler refused an exchange: Undertow closes the connection after the reply. */
    private boolean settled;
    /** This conduit refused a request itself: drop input until the connection closes. */
    private boolean refusing;
    private long dropped;
    /** Whether a reader is waiting for input (reads resumed). */
    private boolean resumed;
    /** When the body last made progress: bytes arrived, or a reader began waiting (System.nanoTime). */
    private long progress;
    private XnioExecutor.Key stallCheck;

    /**
     * @param scanner null when strict framing is off
     * @param bodyReadTimeoutMillis 0 for no bound on body stalls
     */
    GuardConduit(StreamSourceConduit next, StreamConnection connection, HeadScanner scanner, long bodyReadTimeoutMillis) {
        super(next);
        this.connection = connection;
        this.scanner = scanner;
        this.bodyReadTimeoutMillis = bodyReadTimeoutMillis;
    }

    /** The guard of an HTTP/1.1 connection, or null (HTTP/2, or a connection not opened by the guard). */
    static GuardConduit of(ServerConnection connection) {
        return connection instanceof AbstractServerConnection c && c.getOriginalSourceConduit() instanceof GuardConduit g
                ? g : null;
    }

    /** Whether heads are scanned here, so that the guard handler need not check the parsed request. */
    boolean scans() {
        return scanner != null;
    }

    /** Scans bytes read before this conduit was installed (by the TLS listener choosing a protocol). */
    void prefetched(ByteBuffer buffer) {
        if (scanner != null) {
            // Never refused here: Undertow parses these bytes next, and the guard or the next read refuses.
            scanner.scan(buffer, buffer.position(), buffer.limit());
        }
    }

    /**
     * Called by the guard handler for each exchange Undertow dispatches on this connection. Costs a
     * few field writes; only an upgrade request, or the one before a request that broke a rule, gets
     * a completion listener.
     *
     * @return the violation to refuse the exchange with, or null
     */
    Violation admit(HttpServerExchange exchange) {
        if (server == null && exchange.getConnection() instanceof HttpServerConnection http) {
            server = http;
        }
        int index = dispatched;
        dispatched = index + 1;
        current = exchange;
        if (scanner != null && !settled) {
            if (scanner.violation() != null && index >= scanner.violationRequest()) {
                settled = true;
                return scanner.violation();
            }
            if (scanner.waitsForAnswerTo(index) || scanner.violationRequest() == index + 1) {
                listen(exchange);
            }
        }
        if (exchange.isRequestComplete()) {
            bodyExchange = null;
        } else {
            bodyExchange = exchange;
            progress = System.nanoTime();
        }
        return null;
    }

    /** Called by the guard handler when it refuses an exchange on checks of its own. */
    void settle() {
        settled = true;
        if (scanner != null) {
            scanner.stop();
        }
    }

    private void listen(HttpServerExchange exchange) {
        if (listened != exchange) {
            listened = exchange;
            exchange.addExchangeCompleteListener(this);
        }
    }

    @Override
    public void exchangeEvent(HttpServerExchange exchange, NextListener nextListener) {
        if (scanner != null && !settled) {
            int index = dispatched - 1;
            scanner.exchangeCompleted(index, exchange.getStatusCode());
            if (scanner.violationRequest() == index + 1) {
                refuseNext();
            }
        }
        nextListener.proceed();
    }

    /**
     * The request after the one just completed broke a rule, and its bytes wait in Undertow's buffer
     * of pipelined input. They are dropped before Undertow parses them (its parser would answer some
     * with a bare 400 that overtakes the pipelined response before it), and the refusal is written once
     * Undertow has flushed the responses before it.
     */
    private void refuseNext() {
        if (server != null && server.getExtraBytes() != null) {
            server.getExtraBytes().close();
            server.setExtraBytes(null);
        }
        connection.getIoThread().execute(() -> {
            if (!refusing && !settled && connection.isOpen() && dispatched == scanner.violationRequest()) {
                refuse(scanner.violation());
            }
        });
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (refusing) {
            return drop(dst);
        }
        int from = dst.position();
        int n = next.read(dst);
        if (n > 0) {
            if (bodyExchange != null) {
                progress = System.nanoTime();
            }
            if (scanner != null && !settled && !scanner.scan(dst, from, from + n)) {
                return violated(dst, from, n);
            }
        } else if (n == 0) {
            if (scanner != null && !settled && scanner.violation() != null) {
                return violated(dst, from, n);
            }
            if (bodyExchange != null) {
                watchStall();
            }
        }
        return n;
    }

    /** Decides what the bytes just read become, now that the connection broke a rule. */
    private int violated(ByteBuffer dst, int from, int n) {
        int request = scanner.violationRequest();
        if (dispatched > request) {
            // The violation is in the body or trailers of a request already on its way upstream.
            LOG.fine(() -> "closing connection from " + connection.getPeerAddress() + " mid-request: "
                    + scanner.violation().message());
            dst.position(from);
            IoUtils.safeClose(connection);
            return -1;
        }
        if (dispatched == request) {
            HttpServerExchange before = current;
            if (before == null || before.isComplete()) {
                dst.position(from);
                refuse(scanner.violation());
                return 0;
            }
            // The request before still runs; its completion refuses this one (see refuseNext).
            listen(before);
        }
        return n;
    }

    /** Writes the refusal on the connection, then drops input until the client closes or the linger ends. */
    private void refuse(Violation violation) {
        LOG.fine(() -> "refused a request from " + connection.getPeerAddress() + ": " + violation.message());
        refusing = true;
        scanner.stop();
        ConduitStreamSinkChannel sink = connection.getSinkChannel();
        PipeliningBufferingStreamSinkConduit pipelined = server == null ? null : server.getPipelineBuffer();
        if (pipelined != null) {
            // Responses to earlier pipelined requests may still wait there; ours goes after them.
            sink.setConduit(pipelined);
        }
        new Refusal(violation.response()).handleEvent(sink);
        connection.getIoThread().executeAfter(() -> IoUtils.safeClose(connection), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    private int drop(ByteBuffer dst) throws IOException {
        int from = dst.position();
        int n = next.read(dst);
        dst.position(from);
        if (n < 0) {
            return -1;
        }
        dropped += n;
        if (dropped > LINGER_BYTES) {
            IoUtils.safeClose(connection);
            return -1;
        }
        return 0;
    }

    /** Makes sure a check is due while a reader waits for body bytes. */
    private void watchStall() {
        if (stallCheck == null && bodyReadTimeoutMillis > 0) {
            stallCheck = connection.getIoThread().executeAfter(checkStall, bodyReadTimeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void checkStall() {
        stallCheck = null;
        HttpServerExchange exchange = bodyExchange;
        if (!connection.isOpen() || !resumed || exchange == null || exchange.isRequestComplete()) {
            // Nobody waits for the client (the body is done, or an upstream pushes back): resuming re-arms.
            return;
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - progress);
        if (waited >= bodyReadTimeoutMillis) {
            LOG.log(Level.FINE, () -> "closing connection from " + connection.getPeerAddress()
                    + ": no request body bytes for " + waited + " ms");
            IoUtils.safeClose(connection);
        } else {
            stallCheck = connection.getIoThread().executeAfter(checkStall, bodyReadTimeoutMillis - waited,
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void suspendReads() {
        resumed = false;
        next.suspendReads();
    }

    @Override
    public void resumeReads() {
        waiting();
        next.resumeReads();
    }

    @Override
    public void wakeupReads() {
        waiting();
        next.wakeupReads();
    }

    private void waiting() {
        if (!resumed) {
            resumed = true;
            if (bodyExchange != null) {
                progress = System.nanoTime();
                watchStall();
            }
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            if (!dsts[i].hasRemaining()) {
                continue;
            }
            int n = read(dsts[i]);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return Conduits.transfer(this, count, throughBuffer, target);
    }

    /** Writes a refusal, shuts the output down, and flushes, resuming on writability as needed. */
    private final class Refusal implements ChannelListener<ConduitStreamSinkChannel> {
        private final ByteBuffer response;
        private boolean shut;

        Refusal(ByteBuffer response) {
            this.response = response;
        }

        @Override
        public void handleEvent(ConduitStreamSinkChannel sink) {
            try {
                while (response.hasRemaining()) {
                    if (sink.write(response) == 0) {
                        await(sink);
                        return;
                    }
                }
                if (!shut) {
                    sink.shutdownWrites();
                    shut = true;
                }
                if (!sink.flush()) {
                    await(sink);
                    return;
                }
                sink.suspendWrites();
            } catch (IOException e) {
                IoUtils.safeClose(connection);
            }
        }

        private void await(ConduitStreamSinkChannel sink) {
            sink.getWriteSetter().set(this);
            sink.resumeWrites();
        }
    }
}
