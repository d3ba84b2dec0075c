package io.gridgate.node.security;

import io.gridgate.node.testing.RawHttp;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A reverse proxy opens no tunnels, even on a route that accepts every method. */
class ConnectTest {

    private final AtomicInteger upstreamRequests = new AtomicInteger();
    private final TestUpstream upstream = TestUpstream.start(exchange -> {
        upstreamRequests.incrementAndGet();
        exchange.getResponseSender().send("ok");
    });
    private final TestGateway gateway = TestGateway.withRoutes("""
            - id: all
              upstream: %s
            """.formatted(upstream.url()));

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void connectIsRefusedWith405AndNeverForwarded() throws Exception {
        RawHttp.Response response = RawHttp.exchange(gateway.port(),
                "CONNECT internal.example:443 HTTP/1.1\r\nHost: internal.example:443\r\n\r\n");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.body()).contains("\"error\":\"method_not_allowed\"", "CONNECT is not proxied");
        assertThat(upstreamRequests).hasValue(0);
    }
}
