package io.gridgate.node.guard;

import io.gridgate.node.config.LimitsConfig;
import io.gridgate.node.config.ServerConfig;
import io.undertow.UndertowOptions;
import io.undertow.server.DelegateOpenListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http2.Http2UpgradeHandler;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;

/**
 * Hardens a traffic listener against hostile HTTP/1.1 input: strict framing (see {@link HeadScanner}),
 * 400, 414 and 431 answered with a local reply's JSON and {@code Connection: close}, and a bound on
 * request-body stalls. Built once from the server config; the listener uses its three parts.
 */
public final class ConnectionGuard {

    private final int maxHeadBytes;
    private final int maxHeaders;
    private final int maxUrlBytes;
    private final long bodyReadTimeoutMillis;
    private final boolean strict;
    private final boolean http2;

    private ConnectionGuard(ServerConfig server) {
        LimitsConfig limits = server.limits();
        this.maxHeadBytes = server.maxRequestHeaderBytes();
        this.maxHeaders = limits.maxHeaders();
        this.maxUrlBytes = limits.maxUrlBytes();
        this.bodyReadTimeoutMillis = Math.max(0, limits.bodyReadTimeout().toMillis());
        this.strict = limits.strictFraming();
        this.http2 = server.http2();
    }

    public static ConnectionGuard of(ServerConfig server) {
        return new ConnectionGuard(server);
    }

    /**
     * The listener's root handler: the guard, then (for cleartext HTTP/2 by upgrade) Undertow's h2c
     * upgrade handler, then the pipeline. HTTP/2 streams get the checks the parsed request allows.
     */
    public HttpHandler root(HttpHandler pipeline, boolean h2cUpgrade) {
        HttpHandler inner = h2cUpgrade
                ? new Http2UpgradeHandler(new GuardHandler(maxHeaders, maxUrlBytes, false, pipeline))
                : pipeline;
        return new GuardHandler(maxHeaders, maxUrlBytes, true, inner);
    }

    /** Wraps Undertow's HTTP/1.1 open listener so that each connection it opens is guarded. */
    public DelegateOpenListener listener(DelegateOpenListener http) {
        return new GuardedOpenListener(http, this);
    }

    /**
     * Undertow's own head limits. They stay a backstop behind the guard's, so that the guard answers
     * with its reason and status: twice the field count (the guard counts fields itself, raw or
     * parsed), and with strict framing twice the head size (the scanner measures heads exactly; without
     * it Undertow's bound is the only one, and its answer a bare 400).
     */
    public OptionMap.Builder undertowLimits(OptionMap.Builder options) {
        return options
                .set(UndertowOptions.MAX_HEADERS, 2 * maxHeaders)
                .set(UndertowOptions.MAX_HEADER_SIZE, strict ? 2 * maxHeadBytes : maxHeadBytes);
    }

    GuardConduit conduit(StreamConnection connection) {
        HeadScanner scanner = strict ? new HeadScanner(maxHeadBytes, maxHeaders, maxUrlBytes, http2) : null;
        return new GuardConduit(connection.getSourceChannel().getConduit(), connection, scanner, bodyReadTimeoutMillis);
    }
}
