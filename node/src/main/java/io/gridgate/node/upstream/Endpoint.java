package io.gridgate.node.upstream;

import io.undertow.client.UndertowClient;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ConnectionPoolManager;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.server.handlers.proxy.ProxyConnectionPool;
import io.gridgate.node.config.PoolConfig;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.ssl.XnioSsl;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream host with its keep-alive connection pool: at most {@code maxConnections} per I/O
 * thread and at most {@code maxQueue} requests waiting for one; beyond that a request fails fast.
 */
public final class Endpoint implements AutoCloseable {

    private static final ProxyClient.ProxyTarget TARGET = new ProxyClient.ProxyTarget() { };

    private final URI uri;
    private final String authority;
    private final String origin;
    private final int port;
    private final ProxyConnectionPool pool;
    private final CallConnections calls;
    private final AtomicInteger inFlight = new AtomicInteger();

    Endpoint(URI uri, PoolConfig config, XnioSsl ssl) {
        this.uri = uri;
        this.port = port(uri);
        this.authority = uri.getHost() + ":" + port;
        this.origin = uri.getScheme() + "://" + authority;
        OptionMap options = OptionMap.builder().set(Options.TCP_NODELAY, true).getMap();
        this.pool = new ProxyConnectionPool(new PoolManager(config), uri,
                "https".equals(uri.getScheme()) ? ssl : null, UndertowClient.getInstance(), options);
        this.calls = new CallConnections(uri, ssl, options, config);
    }

    /** The upstream's {@code host:port}, as sent in {@code Host} when a route rewrites it. */
    public String authority() {
        return authority;
    }

    /** {@code scheme://host:port}, made once: traced requests put it before every path they send. */
    public String origin() {
        return origin;
    }

    /** The port, the scheme's default when the URI names none. */
    public int port() {
        return port;
    }

    public URI uri() {
        return uri;
    }

    /**
     * Hands the callback a pooled connection, a new one, or, when the pool is full, a place in its
     * bounded queue for at most {@code queueTimeoutMillis}. Runs on the exchange's I/O thread.
     */
    public void connect(HttpServerExchange exchange, ProxyCallback<ProxyConnection> callback,
                        long queueTimeoutMillis, boolean exclusive) {
        pool.connect(TARGET, exchange, callback, queueTimeoutMillis, TimeUnit.MILLISECONDS, exclusive);
    }

    /** The connections of calls made on no exchange's behalf alone (a composition's), given back per call. */
    public CallConnections calls() {
        return calls;
    }

    /** Counts a request sent here until {@link #finished()}, for least-request balancing. */
    public void started() {
        inFlight.incrementAndGet();
    }

    public void finished() {
        inFlight.decrementAndGet();
    }

    /** Requests this node has in flight to this endpoint. */
    public int inFlight() {
        return inFlight.get();
    }

    public int openConnections() {
        return pool.getOpenConnections() + calls.openConnections();
    }

    @Override
    public void close() {
        pool.close();
        calls.close();
    }

    @Override
    public String toString() {
        return origin;
    }

    static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }

    /** Pool bounds from the route's config; health is judged by Gridgate, not by the pool. */
    private record PoolManager(PoolConfig config) implements ConnectionPoolManager {

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public boolean handleError() {
            // true keeps Undertow from marking the host a "problem server" and failing every
            // queued request at once; outlier ejection is the registry's decision.
            return true;
        }

        @Override
        public boolean clearError() {
            return true;
        }

        @Override
        public int getProblemServerRetry() {
            return -1;
        }

        @Override
        public int getMaxConnections() {
            return config.maxConnections();
        }

        @Override
        public int getMaxCachedConnections() {
            return config.maxConnections();
        }

        @Override
        public int getSMaxConnections() {
            // 0 lets every idle connection expire after the idle timeout, not only those above a core.
            return 0;
        }

        @Override
        public long getTtl() {
            return config.idleTimeout().toMillis();
        }

        @Override
        public int getMaxQueueSize() {
            return config.maxQueue();
        }
    }
}
