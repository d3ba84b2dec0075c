package io.gridgate.loadtest;

import io.gridgate.loadtest.HttpConnection.State;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * One generator thread: a selector over its share of the connections, which paces, sends, parses and times requests.
 * The connections are grouped in {@link Lane}s, one per endpoint, each with its own schedule and counts.
 *
 * <p>Timeline, all on {@link System#nanoTime()}: the run starts, the warm-up ends at {@code measureFrom}, no request is
 * issued from {@code issueUntil} on (the end of the window, or earlier if the cap is hit), and requests still owed are
 * drained until {@code drainUntil}; whatever is left then counts as timed out.
 */
final class LoadWorker implements Runnable {

    private static final long MAINTENANCE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long CONNECT_RETRY_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long ONE_MILLI_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Lane[] lanes;
    private final HttpConnection[] connections;
    private final boolean openLoop;
    private final LiveStats live; // null when nobody watches the run
    private final long measureFrom;
    private final long measureUntil;
    private final long drainUntil;
    private final long timeoutNanos;
    private final long maxRequests;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final Histogram sendLag = new Histogram(3);

    private Selector selector;
    private long issueUntil;
    private long nextMaintenance;
    private long sent;
    private long inFlight;
    private long completed;
    private boolean capped;
    private volatile Throwable failure;

    /** {@code lanes} all open loop or all closed loop, each with at least one connection. */
    LoadWorker(LoadSpec spec, List<Lane> lanes, long startNanos, long maxRequests, LiveStats live) {
        this.lanes = lanes.toArray(Lane[]::new);
        List<HttpConnection> all = new ArrayList<>();
        for (Lane lane : lanes) {
            for (int i = 0; i < lane.connectionCount; i++) {
                all.add(new HttpConnection(lane, spec.expectedBody()));
            }
        }
        this.connections = all.toArray(HttpConnection[]::new);
        this.openLoop = this.lanes[0].schedule != null;
        this.live = live;
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
        List<EndpointResult> perEndpoint = new ArrayList<>();
        for (Lane lane : lanes) {
            perEndpoint.add(lane.result());
        }
        return LoadResult.of(pacing, window, completed, sendLag, capped, perEndpoint);
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
        for (Lane lane : lanes) {
            if (!issue(lane, now)) {
                return;
            }
        }
    }

    /** One lane's due requests; false once the request cap is reached. */
    private boolean issue(Lane lane, long now) {
        while (!lane.idle.isEmpty()) {
            long intended;
            if (lane.schedule == null) {
                if (now >= issueUntil) {
                    return true;
                }
                intended = now;
            } else {
                intended = lane.schedule.intendedStartNanos(lane.nextIndex);
                if (intended > now || intended >= issueUntil) {
                    return true;
                }
            }
            if (sent >= maxRequests) {
                capped = true;
                issueUntil = Math.min(issueUntil, now);
                return false;
            }
            lane.nextIndex++;
            send(lane.idle.pollFirst(), intended, now);
        }
        return true;
    }

    private boolean finished(long now) {
        if (now < issueUntil && !capped) {
            return false;
        }
        long owed = 0;
        if (!capped) {
            for (Lane lane : lanes) {
                owed += lane.owed(issueUntil);
            }
        }
        if (inFlight == 0 && owed == 0) {
            return true;
        }
        if (now >= drainUntil) {
            // Requests still waiting for an answer, and due requests that never got a free connection, both failed
            // the client: leaving them out would flatter a target that stalled at the end of the run.
            for (Lane lane : lanes) {
                long lost = lane.inFlight + (capped ? 0 : lane.owed(issueUntil));
                lane.timeouts += lost;
                countErrors(lost);
            }
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
                        c.lane.timeouts++;
                        countErrors(1);
                        endRequest(c);
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
        if (openLoop && !capped) {
            for (Lane lane : lanes) {
                if (lane.idle.isEmpty()) {
                    continue;
                }
                long due = lane.schedule.intendedStartNanos(lane.nextIndex);
                if (due < issueUntil) { // past the window nothing more is sent: no reason to wake (or spin)
                    wake = Math.min(wake, due);
                }
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
            if (channel.connect(c.lane.endpoint.address())) {
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
        c.lane.connectFailures++;
        countErrors(1);
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
        c.lane.inFlight++;
        if (openLoop && intended >= measureFrom && intended < measureUntil) {
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
        endRequest(c);
        completed++;
        if (live != null) {
            live.response();
        }
        int status = c.parser.status();
        if (status < 200 || status > 299) {
            c.lane.non2xx(status);
            countErrors(1);
        } else if (!c.parser.bodyAsExpected()) {
            c.lane.wrongBodies++;
            countErrors(1);
        } else if (inWindow(c, now)) {
            c.lane.succeeded++;
            long latency = OpenLoopSchedule.latencyNanos(c.intendedNanos, now);
            c.lane.latency.recordValue(latency);
            if (live != null) {
                live.latency(latency);
            }
        }
        if (c.parser.connectionClose()) {
            reconnect(c, now);
        } else {
            becomeIdle(c);
        }
    }

    /** Fixed rate: the request was due in the window. Closed loop: the response arrived in it. */
    private boolean inWindow(HttpConnection c, long now) {
        long t = openLoop ? c.intendedNanos : now;
        return t >= measureFrom && t < issueUntil && t < measureUntil;
    }

    /** The request in flight is lost (reset, early close, garbage): count it and start over on a new connection. */
    private void requestFailed(HttpConnection c, long now) {
        if (c.state == State.BUSY) {
            endRequest(c);
        }
        c.lane.ioErrors++;
        countErrors(1);
        reconnect(c, now);
    }

    private void endRequest(HttpConnection c) {
        inFlight--;
        c.lane.inFlight--;
    }

    private void countErrors(long n) {
        if (live != null) {
            live.errors(n);
        }
    }

    private void becomeIdle(HttpConnection c) {
        c.state = State.IDLE;
        c.lane.idle.addLast(c); // FIFO, so a light fixed rate still spreads over every connection like real clients
    }

    private void reconnect(HttpConnection c, long now) {
        disconnect(c);
        connect(c, now);
    }

    private void disconnect(HttpConnection c) {
        if (c.state == State.IDLE) {
            c.lane.idle.remove(c);
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
