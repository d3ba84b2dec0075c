package io.gridgate.node.guard;

import io.gridgate.node.testing.RawHttp;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that hold connections by sending slowly: a head trickled byte by byte is cut at
 * {@code requestParseTimeout}, a body that stops at {@code bodyReadTimeout}; well-behaved clients on
 * other connections, slow upstreams and idle keep-alive connections are not affected.
 */
class SlowlorisTest {

    private static final long PARSE_TIMEOUT_MS = 1_000;
    private static final long BODY_TIMEOUT_MS = 500;
    private static final long IDLE_TIMEOUT_MS = 2_000;
    /** Timers fire on the I/O thread, Undertow adds 50 ms to its own; this is the test's allowance on top. */
    private static final long SLACK_MS = 1_000;

    private TestUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        upstream = TestUpstream.start(exchange -> exchange.dispatch(blocking -> {
            blocking.startBlocking();
            byte[] body = blocking.getInputStream().readAllBytes();
            if (blocking.getRequestPath().equals("/slow")) {
                Thread.sleep(3 * BODY_TIMEOUT_MS);
            }
            blocking.getResponseSender().send("got " + body.length);
        }));
        gateway = TestGateway.start("""
                server:
                  bindAddress: 127.0.0.1
                  port: 0
                  ioThreads: 1
                  drainTimeout: 1s
                  requestParseTimeout: %dms
                  idleTimeout: %dms
                  limits: {bodyReadTimeout: %dms}
                admin: {bindAddress: 127.0.0.1, port: 0}
                routes:
                  - id: all
                    upstream: %s
                """.formatted(PARSE_TIMEOUT_MS, IDLE_TIMEOUT_MS, BODY_TIMEOUT_MS, upstream.url()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void closesTwoHundredTricklingHeadsWithinTheParseTimeoutWhileOtherClientsAreServed() throws Exception {
        int count = 200;
        Map<SocketChannel, Long> openedAt = new HashMap<>();
        List<Long> lifetimes = new ArrayList<>();
        List<Integer> served = new CopyOnWriteArrayList<>();
        List<Throwable> failed = new CopyOnWriteArrayList<>();
        AtomicBoolean trickling = new AtomicBoolean(true);
        Thread others = new Thread(() -> {
            while (trickling.get()) {
                try {
                    served.add(RawHttp.exchange(gateway.port(), "GET /ok HTTP/1.1\r\nHost: a\r\n\r\n").status());
                    Thread.sleep(50);
                } catch (IOException | RuntimeException e) {
                    failed.add(e);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "well-behaved-client");
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", gateway.port()));
                channel.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1)));
                openedAt.put(channel, System.nanoTime());
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ);
            }
            others.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long nextTrickle = 0;
            ByteBuffer sink = ByteBuffer.allocate(4096);
            while (!openedAt.isEmpty() && System.nanoTime() < deadline) {
                if (System.nanoTime() >= nextTrickle) {
                    for (SocketChannel channel : List.copyOf(openedAt.keySet())) {
                        try {
                            channel.write(ByteBuffer.wrap(new byte[] {'a'}));
                        } catch (IOException closedByTheGateway) {
                            lifetimes.add(closed(channel, openedAt));
                        }
                    }
                    nextTrickle = System.nanoTime() + Duration.ofMillis(300).toNanos();
                }
                selector.select(50);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    if (!openedAt.containsKey(channel)) {
                        continue;
                    }
                    try {
                        sink.clear();
                        if (channel.read(sink) < 0) {
                            lifetimes.add(closed(channel, openedAt));
                        }
                    } catch (IOException reset) {
                        lifetimes.add(closed(channel, openedAt));
                    }
                }
                selector.selectedKeys().clear();
            }
        } finally {
            trickling.set(false);
            others.join(10_000);
            openedAt.keySet().forEach(SlowlorisTest::closeQuietly);
        }

        assertThat(openedAt).as("connections still open after 10 s").isEmpty();
        assertThat(lifetimes).hasSize(count);
        assertThat(lifetimes).allSatisfy(ms -> assertThat(ms).isBetween(PARSE_TIMEOUT_MS - 100, PARSE_TIMEOUT_MS + SLACK_MS));
        assertThat(failed).isEmpty();
        assertThat(served).isNotEmpty().containsOnly(200);
    }

    private static long closed(SocketChannel channel, Map<SocketChannel, Long> openedAt) {
        long lifetime = Duration.ofNanos(System.nanoTime() - openedAt.remove(channel)).toMillis();
        closeQuietly(channel);
        return lifetime;
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket the gateway already closed
        }
    }

    @Test
    void closesAConnectionWhoseContentLengthBodyStalls() throws IOException {
        assertCutAfterBodyTimeout("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello");
    }

    @Test
    void closesAConnectionWhoseChunkedBodyStalls() throws IOException {
        assertCutAfterBodyTimeout("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
    }

    private void assertCutAfterBodyTimeout(String partialRequest) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout((int) (BODY_TIMEOUT_MS + 2 * SLACK_MS));
            socket.getOutputStream().write(partialRequest.getBytes(StandardCharsets.ISO_8859_1));
            long sent = System.nanoTime();

            String answered = readUntilClosed(socket.getInputStream());

            long waited = Duration.ofNanos(System.nanoTime() - sent).toMillis();
            assertThat(waited).isBetween(BODY_TIMEOUT_MS - 50, BODY_TIMEOUT_MS + SLACK_MS);
            assertThat(answered).doesNotContain("got ");
        }
    }

    /** Everything the gateway sends until it closes the connection. */
    private static String readUntilClosed(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        try {
            for (int c = in.read(); c >= 0; c = in.read()) {
                text.append((char) c);
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the gateway kept the connection open; it sent: " + text, stillOpen);
        } catch (SocketException reset) {
            // closed with a reset: as closed as it gets
        }
        return text.toString();
    }

    @Test
    void servesABodyWhosePausesAreEachShorterThanTheBodyReadTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 6; i++) {
                out.write("5\r\nhello\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread.sleep(BODY_TIMEOUT_MS / 2);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

            Wire.Response response = Wire.read(socket.getInputStream());

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("got 30");
        }
    }

    @Test
    void waitsForASlowUpstreamLongerThanTheBodyReadTimeout() throws IOException {
        RawHttp.Response response = RawHttp.exchange(gateway.port(),
                "POST /slow HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("got 5");
    }

    @Test
    void keepsAnIdleKeepAliveConnectionPastTheBodyReadTimeoutAndClosesItAtTheIdleTimeout() throws Exception {
        try (Wire.Conversation conversation = new Wire.Conversation(gateway.port())) {
            assertThat(conversation.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi").next().body())
                    .isEqualTo("got 2");
            Thread.sleep(3 * BODY_TIMEOUT_MS);
            assertThat(conversation.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").next().status()).isEqualTo(200);

            long idleSince = System.nanoTime();
            Wire.Outcome rest = conversation.rest(Duration.ofMillis(IDLE_TIMEOUT_MS + 2 * SLACK_MS));

            assertThat(rest.responses()).isEmpty();
            assertThat(rest.end()).isNotEqualTo(Wire.End.OPEN);
            assertThat(Duration.ofNanos(System.nanoTime() - idleSince).toMillis())
                    .isBetween(IDLE_TIMEOUT_MS - 100, IDLE_TIMEOUT_MS + SLACK_MS);
        }
    }
}
