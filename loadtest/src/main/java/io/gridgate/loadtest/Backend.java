package io.gridgate.loadtest;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * An Undertow server that answers every request on any path with the same 1 KiB body over keep-alive, and counts the
 * requests it answers (how the cache scenario tells a cache hit, which never reaches it, from a miss).
 */
public final class Backend implements AutoCloseable {

    /** The body size every target is measured with. */
    public static final int BODY_BYTES = 1024;

    private final Undertow server;
    private final InetSocketAddress address;
    private final LongAdder requests;

    private Backend(Undertow server, LongAdder requests) {
        this.server = server;
        this.address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        this.requests = requests;
    }

    /** Starts a backend answering 200 on 127.0.0.1; port 0 picks a free one. */
    public static Backend start(int port) {
        return startAnswering(200, port);
    }

    /** Starts a backend that answers every request with {@code status} (tests use 500 to provoke errors). */
    public static Backend startAnswering(int status, int port) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 200..599)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        // Built once and shared read-only: the handler only hands out duplicates, so a request costs no copy.
        byte[] bytes = new byte[BODY_BYTES];
        Arrays.fill(bytes, (byte) 'x');
        ByteBuffer body = ByteBuffer.allocateDirect(BODY_BYTES).put(bytes).flip().asReadOnlyBuffer();
        String contentLength = Integer.toString(BODY_BYTES);
        // No Cache-Control, no Vary: a caching route stores the response for its own TTL.
        LongAdder requests = new LongAdder();

        Undertow server = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                // One I/O thread and no dispatch: the backend shares its CPU with the generator (and, by default,
                // the proxy), and a second thread there would only add context switches. The handler never blocks.
                .setIoThreads(1)
                .setWorkerThreads(1)
                .setHandler(exchange -> {
                    requests.increment();
                    exchange.setStatusCode(status);
                    exchange.getResponseHeaders()
                            .put(Headers.CONTENT_LENGTH, contentLength)
                            .put(Headers.CONTENT_TYPE, "application/octet-stream");
                    exchange.getResponseSender().send(body.duplicate());
                })
                .build();
        server.start();
        return new Backend(server, requests);
    }

    /** Where the backend listens. */
    public InetSocketAddress address() {
        return address;
    }

    /** Requests answered so far, whatever their status. */
    public long requests() {
        return requests.sum();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Runs a backend until the process is killed: {@code java -cp loadtest.jar io.gridgate.loadtest.Backend [port]}. */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        Backend backend = start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close, "backend-stop"));
        System.out.println("backend listening on " + backend.address());
        Thread.currentThread().join();
    }
}
