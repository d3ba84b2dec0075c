package io.gridgate.node.upstream;

import io.gridgate.node.config.PoolConfig;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.UndertowClient;
import io.undertow.connector.ByteBufferPool;
import io.undertow.util.WorkerUtils;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.ssl.XnioSsl;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to one endpoint for calls that are not the proxying of an exchange (the
 * calls of a composition). The proxy's pool takes a connection back only when the client's exchange
 * ends, so two calls of one composition to the same host would each hold one until the merged answer
 * is written, and a fan-out wider than the pool would wait on itself; here a call gives its
 * connection back as soon as it has read the answer.
 *
 * <p>Connections live per I/O thread, as in the proxy's pool, and a thread touches only its own:
 * a call borrows on its exchange's I/O thread, so its connection's callbacks run there too and
 * nothing is locked. The bounds are the endpoint's pool settings: at most {@code maxConnections}
 * open per thread, at most {@code maxQueue} calls waiting for one, an idle one closed after
 * {@code idleTimeout}.
 */
public final class CallConnections implements AutoCloseable {

    /** Where a borrowed connection, or the reason there is none, is delivered (on the borrowing thread). */
    public interface Borrower {

        /** A connection to use for one request; {@code reused} if it served an earlier one. */
        void connected(ClientConnection connection, boolean reused);

        /** No connection: {@code reason} names the endpoint and the cause, for the operator, not the client. */
        void failed(Refusal refusal, String reason);
    }

    /** Why a borrower got no connection: only a failed connect is the upstream's doing. */
    public enum Refusal {
        /** The endpoint did not accept a connection. */
        CONNECT_FAILED,
        /** Every connection on this thread is in use and the queue is full: this node's bound, not the upstream's fault. */
        BUSY,
        /** The endpoint left the configuration or the registry while the call wanted it. */
        GONE
    }

    /** A borrower's place in the queue, given up when its call ends first. */
    public interface Waiting {

        Waiting NONE = () -> { };

        void cancel();
    }

    private final URI uri;
    private final XnioSsl ssl;
    private final OptionMap options;
    private final PoolConfig config;
    private final Map<XnioIoThread, PerThread> threads = new ConcurrentHashMap<>();
    private volatile boolean closed;

    CallConnections(URI uri, XnioSsl ssl, OptionMap options, PoolConfig config) {
        this.uri = uri;
        this.ssl = ssl;
        this.options = options;
        this.config = config;
    }

    /**
     * Delivers an idle connection (the most recently used, the least likely to have been closed by
     * the upstream), a new one while fewer than {@code maxConnections} are open, or else a place in
     * the queue; a full queue fails at once. {@code fresh} skips the idle ones, for a retry after an
     * idle connection turned out to be closed. Call on {@code thread}.
     */
    public Waiting borrow(XnioIoThread thread, ByteBufferPool buffers, boolean fresh, Borrower borrower) {
        if (closed) {
            borrower.failed(Refusal.GONE, "the endpoint " + uri + " is no longer in use");
            return Waiting.NONE;
        }
        PerThread local = threads.computeIfAbsent(thread, PerThread::new);
        if (!fresh) {
            Idle idle;
            while ((idle = local.idle.pollLast()) != null) {
                if (idle.connection().isOpen()) {
                    borrower.connected(idle.connection(), true);
                    return Waiting.NONE;
                }
            }
        }
        if (local.open < config.maxConnections()) {
            open(local, buffers, borrower);
            return Waiting.NONE;
        }
        if (local.waiting.size() >= config.maxQueue()) {
            borrower.failed(Refusal.BUSY, "all " + config.maxConnections() + " connections to " + uri + " are busy and "
                    + config.maxQueue() + " calls already wait for one");
            return Waiting.NONE;
        }
        Waiter waiter = new Waiter(local, buffers, borrower);
        local.waiting.addLast(waiter);
        return waiter;
    }

    /**
     * Takes back a connection whose last exchange is complete (its answer read to the end), for the
     * next borrower on its thread. One that is closed is forgotten: its close listener has counted it.
     */
    public void giveBack(ClientConnection connection) {
        PerThread local = threads.get(connection.getIoThread());
        if (local == null || closed || !connection.isOpen() || connection.isUpgraded()) {
            IoUtils.safeClose(connection);
            return;
        }
        Waiter waiter = local.nextWaiter();
        if (waiter != null) {
            waiter.borrower.connected(connection, true);
            return;
        }
        local.idle.addLast(new Idle(connection, System.nanoTime()));
        local.sweepLater();
    }

    /**
     * Closes a connection a call gives up mid-exchange (a timeout, a body past its bound, a failure)
     * and frees its place at once, so that a retry or a waiter can open another without waiting for
     * the close to be reported.
     */
    public void discard(ClientConnection connection) {
        if (connection == null) {
            return;
        }
        PerThread local = threads.get(connection.getIoThread());
        if (local != null) {
            local.closed(connection);
        }
        IoUtils.safeClose(connection);
    }

    /** Connections open on every thread, idle or in use; read across threads, so a moment old. */
    public int openConnections() {
        return threads.values().stream().mapToInt(local -> local.open).sum();
    }

    private void open(PerThread local, ByteBufferPool buffers, Borrower borrower) {
        local.open++;
        ClientCallback<ClientConnection> connecting = new ClientCallback<>() {
            @Override
            public void completed(ClientConnection connection) {
                local.counted.add(connection);
                connection.getCloseSetter().set(c -> local.closed(connection));
                borrower.connected(connection, false);
            }

            @Override
            public void failed(IOException e) {
                local.open--;
                borrower.failed(Refusal.CONNECT_FAILED, "cannot connect to " + uri + " (" + (e.getMessage() == null
                        ? e.getClass().getSimpleName() : e.getMessage()) + ")");
                local.openForWaiter();
            }
        };
        try {
            UndertowClient.getInstance().connect(connecting, null, uri, local.thread,
                    "https".equals(uri.getScheme()) ? ssl : null, buffers, options);
        } catch (RuntimeException e) {
            local.open--;
            borrower.failed(Refusal.CONNECT_FAILED, "cannot connect to " + uri + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Closes the idle connections; those in use close when they are given back. */
    @Override
    public void close() {
        closed = true;
        threads.values().forEach(local -> local.thread.execute(local::closeIdle));
    }

    /** One I/O thread's connections to the endpoint, touched only on that thread. */
    private final class PerThread {
        final XnioIoThread thread;
        final ArrayDeque<Idle> idle = new ArrayDeque<>();
        final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
        /** The open connections, so that one reported closed twice (discarded, then its close heard) counts out once. */
        final Set<ClientConnection> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        int open;
        XnioExecutor.Key sweep;

        PerThread(XnioIoThread thread) {
            this.thread = thread;
        }

        Waiter nextWaiter() {
            Waiter waiter;
            while ((waiter = waiting.pollFirst()) != null) {
                if (!waiter.cancelled) {
                    return waiter;
                }
            }
            return null;
        }

        void closed(ClientConnection connection) {
            if (!counted.remove(connection)) {
                return;
            }
            open--;
            idle.removeIf(entry -> entry.connection() == connection);
            openForWaiter();
        }

        /** A connection slot came free: the first waiter gets a new connection. */
        void openForWaiter() {
            if (open < config.maxConnections() && !closed) {
                Waiter waiter = nextWaiter();
                if (waiter != null) {
                    open(this, waiter.buffers, waiter.borrower);
                }
            }
        }

        void sweepLater() {
            if (sweep == null) {
                sweepIn(config.idleTimeout().toNanos());
            }
        }

        private void sweepIn(long nanos) {
            sweep = WorkerUtils.executeAfter(thread, this::sweep, Math.max(1, nanos), TimeUnit.NANOSECONDS);
        }

        /** Closes the connections idle for longer than the idle timeout: the upstream may close them at any moment. */
        private void sweep() {
            sweep = null;
            long oldest = System.nanoTime() - config.idleTimeout().toNanos();
            List<ClientConnection> expired = new ArrayList<>();
            for (Iterator<Idle> it = idle.iterator(); it.hasNext(); ) {
                Idle entry = it.next();
                if (entry.since() - oldest <= 0) {
                    it.remove();
                    expired.add(entry.connection());
                }
            }
            expired.forEach(IoUtils::safeClose); // each one's close listener counts it
            if (!idle.isEmpty()) {
                // The head is the longest idle (given back at the tail, lent from it): sweep again when it
                // is due, not a whole timeout later, or a connection could sit idle almost twice as long.
                sweepIn(idle.peekFirst().since() + config.idleTimeout().toNanos() - System.nanoTime());
            }
        }

        void closeIdle() {
            Idle entry;
            while ((entry = idle.pollFirst()) != null) {
                IoUtils.safeClose(entry.connection());
            }
            Waiter waiter;
            while ((waiter = nextWaiter()) != null) {
                waiter.borrower.failed(Refusal.GONE, "the endpoint " + uri + " is no longer in use");
            }
        }
    }

    private record Idle(ClientConnection connection, long since) {
    }

    private static final class Waiter implements Waiting {
        final PerThread local;
        final ByteBufferPool buffers;
        final Borrower borrower;
        boolean cancelled;

        Waiter(PerThread local, ByteBufferPool buffers, Borrower borrower) {
            this.local = local;
            this.buffers = buffers;
            this.borrower = borrower;
        }

        @Override
        public void cancel() {
            cancelled = true;
            local.waiting.remove(this);
        }
    }
}
