package io.gridgate.loadtest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in OTLP/HTTP collector on loopback: accepts {@code POST /v1/traces}, answers 200 with an empty
 * {@code ExportTraceServiceResponse} at once, and counts the requests, their bytes and their spans, so the
 * observability scenario can show that the observed node did export (and how much). It keeps nothing.
 */
final class OtlpSink implements AutoCloseable {

    static final String TRACES_PATH = "/v1/traces";

    private static final long QUIET_POLL_MILLIS = 50;

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong exports = new AtomicLong();
    private final AtomicLong spans = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong cpuNanos = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private OtlpSink(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a sink on 127.0.0.1 and a free port, with one handler thread (it shares the generator's CPU). */
    static OtlpSink start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "otlp-sink");
                t.setDaemon(true);
                return t;
            });
            OtlpSink sink = new OtlpSink(server, executor);
            server.createContext("/", sink::handle);
            server.setExecutor(executor);
            server.start();
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the OTLP sink on loopback", e);
        }
    }

    /** The endpoint for the node's {@code tracing.endpoint}; the exporter appends {@code /v1/traces}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests that were not a {@code POST /v1/traces} with a readable body; answered 400 or 404, not counted. */
    long rejected() {
        return rejected.get();
    }

    /** The counts so far; {@code logLines} is NaN (the sink does not see the access log). */
    Telemetry counts() {
        return new Telemetry(exports.get(), spans.get(), bytes.get(), cpuNanos.get(), Double.NaN);
    }

    /**
     * The counts once nothing has arrived for {@code quiet} (or at {@code timeout}): the node exports finished spans
     * in batches after a delay, and a run's last batch arrives after its last response.
     */
    Telemetry countsWhenQuiet(Duration quiet, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = exports.get();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < quiet.toNanos() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(QUIET_POLL_MILLIS); // waiting on another process's batch timer: nothing to block on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = exports.get();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
        return counts();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long cpuBefore = threads.getCurrentThreadCpuTime();
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals(TRACES_PATH)) {
                rejected.incrementAndGet();
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            long count;
            try {
                count = OtlpSpans.count(inflated(exchange, body));
            } catch (IllegalArgumentException | IOException e) {
                rejected.incrementAndGet();
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            // Counted before answering: whoever sees the answer sees the counts.
            spans.addAndGet(count);
            bytes.addAndGet(body.length);
            exports.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        } finally {
            cpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - cpuBefore);
        }
    }

    private static byte[] inflated(HttpExchange exchange, byte[] body) throws IOException {
        if (!"gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            return body;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
