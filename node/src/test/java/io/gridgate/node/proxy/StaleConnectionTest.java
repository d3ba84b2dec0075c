package io.gridgate.node.proxy;

import io.gridgate.node.testing.OneShotUpstream;
import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** A pooled connection that the upstream resets as it is reused. */
class StaleConnectionTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private OneShotUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        upstream = new OneShotUpstream();
        gateway = TestGateway.withRoutes("""
                - id: flaky
                  upstream: http://127.0.0.1:%d
                  pool: {maxConnections: 1}
                """.formatted(upstream.port()));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    private HttpResponse<String> send(String method) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri("/")).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void resendsAnIdempotentRequestOnceOnANewConnection() throws Exception {
        assertThat(send("GET").statusCode()).isEqualTo(200);

        HttpResponse<String> second = send("GET");

        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("ok");
        assertThat(upstream.connections()).isEqualTo(2);
    }

    @Test
    void neverResendsAPostAndAnswers502() throws Exception {
        assertThat(send("POST").statusCode()).isEqualTo(200);

        HttpResponse<String> second = send("POST");

        assertThat(second.statusCode()).isEqualTo(502);
        assertThat(second.body()).contains("\"error\":\"upstream_reset\"");
        assertThat(upstream.connections()).isEqualTo(1);
    }
}
