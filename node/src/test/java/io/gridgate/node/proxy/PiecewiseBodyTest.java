package io.gridgate.node.proxy;

import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bodies that arrive in pieces: each piece is passed on at once, and a client that goes away in
 * the middle of one leaves the upstream with a failed request, never a cut-off body taken for whole.
 */
class PiecewiseBodyTest {

    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestUpstream upstream;
    private volatile boolean upstreamReading;
    private volatile int received;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void aResponseThatArrivesInPiecesReachesTheClientPieceByPiece() throws Exception {
        CountDownLatch firstSeen = new CountDownLatch(1);
        upstream = TestUpstream.start(exchange -> exchange.dispatch((io.undertow.server.HttpHandler) blocking -> {
            exchange.startBlocking();
            exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, "text/event-stream");
            OutputStream out = exchange.getOutputStream();
            out.write("data: first\n\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The second event only goes once the client has seen the first through the gateway.
            assertThat(firstSeen.await(5, TimeUnit.SECONDS)).isTrue();
            out.write("data: second\n\n".getBytes(StandardCharsets.US_ASCII));
            out.close();
        }));
        gateway = TestGateway.withRoutes("""
                - id: events
                  upstream: %s
                """.formatted(upstream.url()));

        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("GET /events HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            StringBuilder seen = new StringBuilder();
            byte[] chunk = new byte[4096];
            while (!seen.toString().contains("data: first")) {
                int n = socket.getInputStream().read(chunk);
                assertThat(n).as("the first event arrives before the upstream sends the second").isPositive();
                seen.append(new String(chunk, 0, n, StandardCharsets.US_ASCII));
            }
            assertThat(seen.toString()).doesNotContain("data: second");
            firstSeen.countDown();
            while (!seen.toString().contains("data: second")) {
                int n = socket.getInputStream().read(chunk);
                assertThat(n).isPositive();
                seen.append(new String(chunk, 0, n, StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void aClientGoneMidBodyFailsTheUpstreamRequestAndTheNextRequestIsServed() throws Exception {
        upstream = TestUpstream.start(exchange -> exchange.getRequestReceiver().receivePartialBytes(
                (ex, part, last) -> {
                    upstreamReading = true;
                    received += part.length;
                    if (last) {
                        outcomes.add("complete " + received);
                        received = 0;
                        ex.getResponseSender().send("ok");
                    }
                },
                (ex, e) -> {
                    received = 0;
                    outcomes.add("failed");
                }));
        gateway = TestGateway.withRoutes("""
                - id: upload
                  upstream: %s
                """.formatted(upstream.url()));

        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "400\r\n" + "x".repeat(1024) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The upstream must be mid-body before the client vanishes.
            await().atMost(Duration.ofSeconds(5)).until(() -> upstreamReading);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> !outcomes.isEmpty());
        assertThat(outcomes).containsExactly("failed");

        HttpResponse<String> next = client.send(HttpRequest.newBuilder(gateway.uri("/upload"))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString("whole")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(outcomes).containsExactly("failed", "complete 5");
    }
}
