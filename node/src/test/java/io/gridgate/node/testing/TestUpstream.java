package io.gridgate.node.testing;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.WorkerUtils;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real Undertow upstream on an ephemeral loopback port. */
public final class TestUpstream implements AutoCloseable {

    private final Undertow undertow;

    private TestUpstream(Undertow undertow) {
        this.undertow = undertow;
    }

    public static TestUpstream start(HttpHandler handler) {
        Undertow undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(4)
                .setServerOption(io.undertow.UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .setHandler(handler)
                .build();
        undertow.start();
        return new TestUpstream(undertow);
    }

    /**
     * Answers {@code exchange} with {@code answer} after {@code delay}, on its I/O thread's timer: an
     * upstream's latency without a thread asleep for it. Call from the handler, on the I/O thread.
     */
    public static void answerAfter(HttpServerExchange exchange, Duration delay, Runnable answer) {
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> WorkerUtils.executeAfter(exchange.getIoThread(), answer,
                delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
