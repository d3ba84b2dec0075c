package io.gridgate.node;

import io.gridgate.node.config.ServerConfig;
import io.gridgate.node.config.TlsConfig;
import io.gridgate.node.guard.ConnectionGuard;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DelegateOpenListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.OpenListener;
import io.undertow.server.protocol.http.AlpnOpenListener;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.server.protocol.http2.Http2OpenListener;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;
import org.xnio.ssl.SslConnection;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The traffic listeners: plain HTTP/1.1 with h2c, and HTTPS with HTTP/2 by ALPN when configured.
 * Assembled from Undertow's parts rather than its {@code Undertow} facade because draining needs
 * to close the accepting sockets while the open connections finish, which the facade cannot do, and
 * because every HTTP/1.1 connection gets a {@link ConnectionGuard} under Undertow's parser.
 */
final class TrafficServer {

    private static final int BUFFER_BYTES = 16 * 1024;
    /** 1 MiB per I/O thread: a few buffers for each of its busy connections, in both directions. */
    private static final int BUFFERS_PER_THREAD = 64;
    /** 16 MiB for buffers released on other threads or beyond a thread's share. */
    private static final int SHARED_BUFFERS = 1024;

    private final XnioWorker worker;
    private final List<AcceptingChannel<? extends StreamConnection>> acceptors;

    private TrafficServer(XnioWorker worker, List<AcceptingChannel<? extends StreamConnection>> acceptors) {
        this.worker = worker;
        this.acceptors = acceptors;
    }

    static TrafficServer start(ServerConfig config, HttpHandler handler) {
        int ioThreads = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        Xnio xnio = Xnio.getInstance(TrafficServer.class.getClassLoader());
        XnioWorker worker;
        try {
            worker = xnio.createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    // The pipeline never blocks, so workers only run the rare dispatched task.
                    .set(Options.WORKER_TASK_CORE_THREADS, 2)
                    .set(Options.WORKER_TASK_MAX_THREADS, Math.max(2, ioThreads))
                    .set(Options.WORKER_NAME, "gridgate")
                    .set(Options.TCP_NODELAY, true)
                    .getMap());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start I/O threads", e);
        }
        List<AcceptingChannel<? extends StreamConnection>> acceptors = new ArrayList<>();
        try {
            ByteBufferPool buffers = new BufferPool(true, BUFFER_BYTES, BUFFERS_PER_THREAD, SHARED_BUFFERS);
            ConnectionGuard guard = ConnectionGuard.of(config);
            OptionMap serverOptions = serverOptions(config, guard);
            OptionMap socketOptions = OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.REUSE_ADDRESSES, true)
                    .set(Options.BALANCING_TOKENS, 1)
                    .set(Options.BALANCING_CONNECTIONS, 2)
                    .set(Options.BACKLOG, 1024)
                    .getMap();
            HttpOpenListener http = new HttpOpenListener(buffers, serverOptions);
            http.setRootHandler(guard.root(handler, config.http2()));
            acceptors.add(worker.createStreamConnectionServer(new InetSocketAddress(config.bindAddress(), config.port()),
                    ChannelListeners.openListenerAdapter(guard.listener(http)), socketOptions));
            if (config.tls().isPresent()) {
                acceptors.add(tlsAcceptor(xnio, worker, config, guard.root(handler, false), guard, buffers, serverOptions,
                        socketOptions));
            }
            acceptors.forEach(AcceptingChannel::resumeAccepts);
            return new TrafficServer(worker, acceptors);
        } catch (IOException | RuntimeException e) {
            acceptors.forEach(IoUtils::safeClose);
            worker.shutdownNow();
            throw new IllegalStateException("cannot listen on " + config.bindAddress() + ":" + config.port()
                    + config.tls().map(t -> " and TLS port " + t.port()).orElse("") + ": " + e.getMessage(), e);
        }
    }

    private static OptionMap serverOptions(ServerConfig config, ConnectionGuard guard) {
        // No IDLE_TIMEOUT, READ_TIMEOUT or connector statistics: Undertow would put conduits of its own
        // above the guard's, and the guard handler finds the guard as the connection's first conduit.
        return guard.undertowLimits(OptionMap.builder())
                .set(UndertowOptions.ENABLE_HTTP2, config.http2())
                // Off by default in Undertow: without it a client can hold a connection by sending
                // its request head one byte at a time.
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) config.requestParseTimeout().toMillis())
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) config.idleTimeout().toMillis())
                // Bodies stream through the proxy and are never held whole, so Undertow's 2 MiB
                // default would only refuse legitimate uploads.
                .set(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                .getMap();
    }

    private static AcceptingChannel<? extends StreamConnection> tlsAcceptor(
            Xnio xnio, XnioWorker worker, ServerConfig config, HttpHandler handler, ConnectionGuard guard,
            ByteBufferPool buffers, OptionMap serverOptions, OptionMap socketOptions) throws IOException {
        TlsConfig tls = config.tls().orElseThrow();
        HttpOpenListener http = new HttpOpenListener(buffers, serverOptions);
        http.setRootHandler(handler);
        DelegateOpenListener guarded = guard.listener(http);
        OpenListener open = guarded;
        if (config.http2()) {
            AlpnOpenListener alpn = new AlpnOpenListener(buffers, serverOptions, guarded);
            Http2OpenListener http2 = new Http2OpenListener(buffers, serverOptions);
            http2.setRootHandler(handler);
            alpn.addProtocol(Http2OpenListener.HTTP2, http2, 10);
            open = alpn;
        }
        // TLS 1.0 and 1.1 are broken; the JDK's defaults change with its updates, so the floor is set here.
        OptionMap sslOptions = OptionMap.builder().set(Options.USE_DIRECT_BUFFERS, true)
                .setSequence(Options.SSL_ENABLED_PROTOCOLS, "TLSv1.3", "TLSv1.2").getMap();
        UndertowXnioSsl ssl = new UndertowXnioSsl(xnio, sslOptions, sslContext(tls));
        // The TLS server hands the listener SslConnections, which are StreamConnections.
        @SuppressWarnings({"unchecked", "rawtypes"})
        ChannelListener<AcceptingChannel<SslConnection>> accept =
                (ChannelListener) ChannelListeners.openListenerAdapter(open);
        return ssl.createSslConnectionServer(worker, new InetSocketAddress(config.bindAddress(), tls.port()),
                accept, socketOptions);
    }

    private static SSLContext sslContext(TlsConfig tls) {
        String source = tls.keyStore().map(path -> "server.tls.keyStore " + path)
                .orElse("server.tls.certificate " + tls.certificate().orElse("") + " / privateKey " + tls.privateKey().orElse(""));
        try {
            KeyStore store;
            char[] password;
            if (tls.keyStore().isPresent()) {
                password = tls.keyStorePassword().orElse("").toCharArray();
                store = KeyStore.getInstance(tls.keyStoreType());
                try (InputStream in = Files.newInputStream(Path.of(tls.keyStore().get()))) {
                    store.load(in, password);
                }
            } else {
                password = new char[0];
                store = PemKeys.keyStore(Path.of(tls.certificate().orElseThrow()), Path.of(tls.privateKey().orElseThrow()));
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(source + ": " + e.getMessage(), e);
        }
    }

    /** The bound port of the plain listener (the configured one, or the ephemeral one chosen for 0). */
    int port() {
        return acceptors.get(0).getLocalAddress(InetSocketAddress.class).getPort();
    }

    /** The bound port of the TLS listener; only when TLS is configured. */
    int tlsPort() {
        return acceptors.get(1).getLocalAddress(InetSocketAddress.class).getPort();
    }

    /** Closes the listening sockets; connections already open keep being served. */
    void stopAccepting() {
        acceptors.forEach(IoUtils::safeClose);
    }

    /** Closes every connection and stops the I/O threads. */
    void stop() {
        stopAccepting();
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
