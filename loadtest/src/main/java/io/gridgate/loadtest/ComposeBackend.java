package io.gridgate.loadtest;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The compose scenario's upstreams: an Undertow server with three JSON endpoints, {@code /fast-a}, {@code /fast-b} and
 * {@code /slowest}, each answering a small fixed document after a fixed delay, the slowest a quarter longer than the
 * other two; any other path is answered 404 at once. It counts the requests it answers.
 *
 * <p>The delays run on one scheduled executor, not on a thread per request: the I/O thread hands each exchange to the
 * timer and goes on, the timer hands it back when it is due, and the I/O thread writes the answer, so the number of
 * requests waiting costs no threads.
 */
final class ComposeBackend implements AutoCloseable {

    /** The two fast endpoints' paths, and the slowest's, in the order the composite route merges them. */
    static final List<String> PATHS = List.of("/fast-a", "/fast-b", "/slowest");
    static final String SLOWEST = "/slowest";

    private final Undertow server;
    private final ScheduledThreadPoolExecutor timer;
    private final InetSocketAddress address;
    private final LongAdder requests;

    private ComposeBackend(Undertow server, ScheduledThreadPoolExecutor timer, LongAdder requests) {
        this.server = server;
        this.timer = timer;
        this.address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        this.requests = requests;
    }

    /** Starts the endpoints on a free loopback port; the fast ones answer after {@code delay}. */
    static ComposeBackend start(Duration delay) {
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: > 0)");
        }
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        for (String path : PATHS) {
            Duration after = delayOf(path, delay);
            byte[] body = body(path, after).getBytes(StandardCharsets.UTF_8);
            endpoints.put(path, new Endpoint(after.toNanos(),
                    ByteBuffer.allocateDirect(body.length).put(body).flip().asReadOnlyBuffer()));
        }
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "compose-backend-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        LongAdder requests = new LongAdder();
        Undertow server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                // As the Backend: one I/O thread that never blocks, on the CPU the generator shares.
                .setIoThreads(1)
                .setWorkerThreads(1)
                .setHandler(exchange -> {
                    requests.increment();
                    Endpoint endpoint = endpoints.get(exchange.getRequestPath());
                    if (endpoint == null) {
                        exchange.setStatusCode(404);
                        exchange.endExchange();
                        return;
                    }
                    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> timer.schedule(
                            () -> exchange.getIoThread().execute(() -> answer(exchange, endpoint.body())),
                            endpoint.delayNanos(), TimeUnit.NANOSECONDS));
                })
                .build();
        server.start();
        return new ComposeBackend(server, timer, requests);
    }

    /** How long the endpoint at {@code path} takes: {@code delay}, and a quarter more for {@link #SLOWEST}. */
    static Duration delayOf(String path, Duration delay) {
        return path.equals(SLOWEST) ? delay.plus(delay.dividedBy(4)) : delay;
    }

    /** The document the endpoint at {@code path} answers, e.g. {@code {"endpoint":"fast-a","delayMicros":20000}}. */
    static String body(String path, Duration delay) {
        return "{\"endpoint\":\"" + path.substring(1) + "\",\"delayMicros\":" + delay.toNanos() / 1000
                + ",\"items\":[1,2,3]}";
    }

    private static void answer(HttpServerExchange exchange, ByteBuffer body) {
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_LENGTH, Integer.toString(body.remaining()))
                .put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(body.duplicate());
    }

    /** Where the endpoints listen. */
    InetSocketAddress address() {
        return address;
    }

    /** Requests answered or waiting so far, on any path. */
    long requests() {
        return requests.sum();
    }

    @Override
    public void close() {
        server.stop();
        timer.shutdownNow();
    }

    /** One endpoint: its delay and its body, built once and shared read-only (each answer sends a duplicate). */
    private record Endpoint(long delayNanos, ByteBuffer body) {
    }
}
