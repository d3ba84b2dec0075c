package io.gridgate.loadtest;

import io.gridgate.loadtest.HttpConnection.State;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * One generator thread: a selector over its share of the connections, which paces, sends, parses and times requests.
 *
 * <p>Timeline, all on {@link System#nanoTime()}: the run starts, the warm-up ends at {@code measureFrom}, no request is
 * issued from {@code issueUntil} on (the end of the window, or earlier if the cap is hit), and requests still owed are
 * drained until {@code drainUntil}; whatever is left then counts as timed out.
 */
final class LoadWorker implements Runnable {

    private static final long MAINTENANCE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long CONNECT_RETRY_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long ONE_MILLI_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final InetSocketAddress target;
    private final HttpConnection[] connections;
    private final ArrayDeque<HttpConnection> idle;
    private final OpenLoopSchedule schedule; // null in closed loop
    private final long measureFrom;
    private final long measureUntil;
    private final long drainUntil;
    private final long timeoutNanos;
    private final long maxRequests;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final Histogram latency = new Histogram(3);
    private final Histogram sendLag = new Histogram(3);

    private Selector selector;
    private long issueUntil;
    private long nextMaintenance;
    private long nextIndex;
    private long sent;
    private long inFlight;
    private long succeeded;
    private long completed;
    private long non2xx;
    private long connectFailures;
    private long timeouts;
    private long ioErrors;
    private long wrongBodies;
    private boolean capped;
    private volatile Throwable failure;

    LoadWorker(LoadSpec spec, ByteBuffer encodedRequest, int connectionCount, OpenLoopSchedule schedule,
            long startNanos, long maxRequests) {
        this.target = spec.target();
        this.connections = new HttpConnection[connectionCount];
        for (int i = 0; i < connectionCount; i++) {
            connections[i] = new HttpConnection(encodedRequest, spec.expectedBody());
        }
        this.idle = new ArrayDeque<>(connectionCount);
        this.schedule = schedule;
        this.measureFrom = startNanos + spec.warmup().toNanos();
        this.measureUntil = measureFrom + spec.duration().toNanos();
        this.timeoutNanos = spec.requestTimeout().toNanos();
        this.drainUntil = measureUntil + timeoutNanos;
        this.maxRequests = maxRequests;
        this.issueUntil = measureUntil;
    }

    @Override
    public void run() {
        try (Selector s = Selector.open()) {
            selector = s;
            long now = System.nanoTime();
            for (HttpConnection c : connections) {
                connect(c, now);
            }
            nextMaintenance = now + MAINTENANCE_INTERVAL_NANOS;
            loop();
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            for (HttpConnection c : connections) {
                closeChannel(c);
            }
        }
    }

    /** This thread's share of the result; call after the thread has ended. */
    LoadResult result(Pacing pacing) {
        if (failure != null) {
            throw new IllegalStateException("generator thread failed: " + failure, failure);
        }
        long windowEnd = Math.min(measureUntil, issueUntil);
        Duration window = Duration.ofNanos(Math.max(0, windowEnd - measureFrom));
        ErrorCounts errors = new ErrorCounts(non2xx, connectFailures, timeouts, ioErrors, wrongBodies);
        return new LoadResult(pacing, window, succeeded, completed, errors, latency, sendLag, capped);
    }

    private void loop() throws IOException {
        while (true) {
            long now = System.nanoTime();
            issue(now);
            if (finished(now)) {
                return;
            }
            if (now >= nextMaintenance) {
                maintain(now);
                nextMaintenance = now + MAINTENANCE_INTERVAL_NANOS;
            }
            await(now);
        }
    }

    /** Sends every request that is due on the idle connections; in closed loop every idle connection is due. */
    private void issue(long now) {
        while (!idle.isEmpty()) {
            long intended;
            if (schedule == null) {
                if (now >= issueUntil) {
                    return;
                }
                intended = now;
            } else {
                intended = schedule.intendedStartNanos(nextIndex);
                if (intended > now || intended >= issueUntil) {
                    return;
                }
            }
            if (sent >= maxRequests) {
                capped = true;
                issueUntil = Math.min(issueUntil, now);
                return;
            }
            nextIndex++;
            send(idle.pollFirst(), intended, now);
        }
    }

    private boolean finished(long now) {
        if (now < issueUntil && !capped) {
            return false;
        }
        long owed = capped || schedule == null ? 0 : schedule.countDueBefore(issueUntil) - nextIndex;
        if (inFlight == 0 && owed == 0) {
            return true;
        }
        if (now >= drainUntil) {
            // Requests still waiting for an answer, and due requests that never got a free connection, both failed
            // the client: leaving them out would flatter a target that stalled at the end of the run.
            timeouts += inFlight + owed;
            return true;
        }
        return false;
    }

    /** Times out stuck requests and connects, and retries failed connects after a pause. */
    private void maintain(long now) {
        for (HttpConnection c : connections) {
            switch (c.state) {
                case BUSY -> {
                    if (now - c.sinceNanos > timeoutNanos) {
                        timeouts++;
                        inFlight--;
                        reconnect(c, now);
                    }
                }
                case CONNECTING -> {
                    if (now - c.sinceNanos > timeoutNanos) {
                        connectFailed(c, now);
                    }
                }
                case DISCONNECTED -> {
                    if (now >= c.reconnectAtNanos) {
                        connect(c, now);
                    }
                }
                case IDLE -> { }
            }
        }
    }

    /**
     * Waits for I/O or the next due time. The selector only sleeps in whole milliseconds, so a sub-millisecond wait
     * with nothing in flight parks instead; with requests in flight it selects, since a response wakes it at once and
     * reading responses late would add to every measured latency. The send lag histogram shows what this costs.
     */
    private void await(long now) throws IOException {
        long wake = Math.min(nextMaintenance, drainUntil);
        if (now < issueUntil) {
            wake = Math.min(wake, issueUntil);
        }
        if (schedule != null && !idle.isEmpty()) {
            long due = schedule.intendedStartNanos(nextIndex);
            if (due < issueUntil && !capped) { // past the window nothing more is sent: no reason to wake (or spin)
                wake = Math.min(wake, due);
            }
        }
        long waitNanos = wake - now;
        if (waitNanos <= 0) {
            selector.selectNow(onReady);
        } else if (waitNanos < ONE_MILLI_NANOS && inFlight == 0) {
            LockSupport.parkNanos(waitNanos);
            selector.selectNow(onReady);
        } else {
            selector.select(onReady, Math.max(1, waitNanos / ONE_MILLI_NANOS));
        }
    }

    private void onReady(SelectionKey key) {
        HttpConnection c = (HttpConnection) key.attachment();
        if (!key.isValid()) {
            return;
        }
        long now = System.nanoTime();
        if (key.isConnectable()) {
            finishConnect(c, now);
            return;
        }
        if (key.isWritable() && !flush(c, now)) {
            return;
        }
        if (key.isValid() && key.isReadable()) {
            read(c, now);
        }
    }

    private void connect(HttpConnection c, long now) {
        c.state = State.CONNECTING;
        c.sinceNanos = now;
        try {
            SocketChannel channel = SocketChannel.open();
            c.channel = channel;
            channel.configureBlocking(false);
            // Requests are one small write each; Nagle would hold them back waiting for an ACK.
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (channel.connect(target)) {
                c.key = channel.register(selector, SelectionKey.OP_READ, c);
                becomeIdle(c);
            } else {
                c.key = channel.register(selector, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException e) {
            connectFailed(c, now);
        }
    }

    private void finishConnect(HttpConnection c, long now) {
        try {
            if (c.channel.finishConnect()) {
                c.key.interestOps(SelectionKey.OP_READ);
                becomeIdle(c);
            }
        } catch (IOException e) {
            connectFailed(c, now);
        }
    }

    private void connectFailed(HttpConnection c, long now) {
        connectFailures++;
        disconnect(c);
        // A refused port refuses again at once; pausing keeps a dead target from turning the run into a busy loop.
        c.reconnectAtNanos = now + CONNECT_RETRY_DELAY_NANOS;
    }

    private void send(HttpConnection c, long intended, long now) {
        c.state = State.BUSY;
        c.sinceNanos = now;
        c.intendedNanos = intended;
        c.parser.reset();
        c.request.rewind();
        sent++;
        inFlight++;
        if (schedule != null && intended >= measureFrom && intended < measureUntil) {
            sendLag.recordValue(now - intended);
        }
        flush(c, now);
    }

    /** Writes what is left of the request; false if the connection failed and was replaced. */
    private boolean flush(HttpConnection c, long now) {
        try {
            c.channel.write(c.request);
        } catch (IOException e) {
            requestFailed(c, now);
            return false;
        }
        boolean pending = c.request.hasRemaining();
        if (pending != c.writeInterest) {
            c.writeInterest = pending;
            c.key.interestOps(pending ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
        return true;
    }

    private void read(HttpConnection c, long now) {
        readBuffer.clear();
        int n;
        try {
            n = c.channel.read(readBuffer);
        } catch (IOException e) {
            n = -1; // reset by peer: same handling as a close
        }
        if (n < 0) {
            if (c.state == State.BUSY) {
                requestFailed(c, now);
            } else {
                reconnect(c, now); // an idle keep-alive connection closed by the server is normal, not an error
            }
            return;
        }
        if (n == 0) {
            return;
        }
        readBuffer.flip();
        try {
            if (c.state != State.BUSY) {
                throw new ProtocolException("bytes received with no request in flight");
            }
            if (c.parser.feed(readBuffer)) {
                if (readBuffer.hasRemaining()) {
                    throw new ProtocolException("bytes after the end of the response");
                }
                complete(c, now);
            }
        } catch (ProtocolException e) {
            requestFailed(c, now);
        }
    }

    private void complete(HttpConnection c, long now) {
        inFlight--;
        completed++;
        int status = c.parser.status();
        if (status < 200 || status > 299) {
            non2xx++;
        } else if (!c.parser.bodyAsExpected()) {
            wrongBodies++;
        } else if (inWindow(c, now)) {
            succeeded++;
            latency.recordValue(OpenLoopSchedule.latencyNanos(c.intendedNanos, now));
        }
        if (c.parser.connectionClose()) {
            reconnect(c, now);
        } else {
            becomeIdle(c);
        }
    }

    /** Fixed rate: the request was due in the window. Closed loop: the response arrived in it. */
    private boolean inWindow(HttpConnection c, long now) {
        long t = schedule != null ? c.intendedNanos : now;
        return t >= measureFrom && t < issueUntil && t < measureUntil;
    }

    /** The request in flight is lost (reset, early close, garbage): count it and start over on a new connection. */
    private void requestFailed(HttpConnection c, long now) {
        if (c.state == State.BUSY) {
            inFlight--;
        }
        ioErrors++;
        reconnect(c, now);
    }

    private void becomeIdle(HttpConnection c) {
        c.state = State.IDLE;
        idle.addLast(c); // FIFO, so a light fixed rate still spreads over every connection like real clients would
    }

    private void reconnect(HttpConnection c, long now) {
        disconnect(c);
        connect(c, now);
    }

    private void disconnect(HttpConnection c) {
        if (c.state == State.IDLE) {
            idle.remove(c);
        }
        closeChannel(c);
        c.state = State.DISCONNECTED;
        c.writeInterest = false;
    }

    private static void closeChannel(HttpConnection c) {
        if (c.key != null) {
            c.key.cancel();
            c.key = null;
        }
        if (c.channel != null) {
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // Nothing useful to do: the connection is being dropped either way.
            }
            c.channel = null;
        }
    }
}
