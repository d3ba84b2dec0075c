package io.gridgate.node;

import io.gridgate.node.testing.RawHttp;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.server.HttpHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GracefulDrainTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private TestUpstream upstream;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        release.countDown();
        gateway.close();
        upstream.close();
    }

    private void startHeldUpstream(String drainTimeout) {
        HttpHandler held = exchange -> {
            arrived.countDown();
            release.await(30, TimeUnit.SECONDS);
            exchange.getResponseSender().send("finished");
        };
        upstream = TestUpstream.start(exchange -> exchange.dispatch(held));
        gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: %s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                routes:
                  - id: held
                    match: {pathPrefix: /slow}
                    upstream: %s
                  - id: stuck
                    match: {pathPrefix: /stuck}
                    upstream: %s
                  - id: later
                    match: {pathPrefix: /later}
                    upstream: %s
                """.formatted(drainTimeout, upstream.url(), upstream.url(), upstream.url()));
    }

    private int readiness() throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.adminUri("/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void finishesInFlightRequestsAndReportsNotReadyWhileDraining() throws Exception {
        startHeldUpstream("10s");
        assertThat(readiness()).isEqualTo(200);
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                HttpRequest.newBuilder(gateway.uri("/slow")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

        RawHttp.Connection open = RawHttp.Connection.open(gateway.port());
        assertThat(open.exchange("GET /health HTTP/1.1\r\nHost: gw\r\n\r\n").status()).isEqualTo(404);

        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(gateway.node()::drainAndStop);

        await().atMost(Duration.ofSeconds(5)).until(() -> readiness() == 503);
        assertThat(drained).isNotDone();
        RawHttp.Response refused = open.exchange("GET /later HTTP/1.1\r\nHost: gw\r\n\r\n");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Connection")).isEqualToIgnoringCase("close");
        assertThat(refused.body()).contains("\"error\":\"shutting_down\"");
        open.close();
        release.countDown();
        HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("finished");
        assertThat(drained.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void stopsWaitingForInFlightRequestsAtTheDrainTimeout() throws Exception {
        startHeldUpstream("300ms");
        client.sendAsync(HttpRequest.newBuilder(gateway.uri("/stuck")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(gateway.node().drainAndStop()).isFalse();
    }
}
