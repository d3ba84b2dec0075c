package io.gridgate.node.security;

import io.gridgate.node.testing.RawHttp;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Request bodies are held to the route's bound, or the server's. */
class BodyLimitTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicInteger upstreamRequests = new AtomicInteger();
    private TestUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        upstream = TestUpstream.start(exchange -> exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
            upstreamRequests.incrementAndGet();
            ex.getResponseSender().send("got " + body.length);
        }));
        gateway = TestGateway.start("""
                server:
                  bindAddress: 127.0.0.1
                  port: 0
                  ioThreads: 1
                  drainTimeout: 5s
                  limits: {maxBodyBytes: 4KiB}
                admin: {bindAddress: 127.0.0.1, port: 0}
                routes:
                  - {id: small, match: {pathPrefix: /small}, upstream: %s, maxBodyBytes: 1KiB}
                  - {id: other, match: {pathPrefix: /other}, upstream: %s}
                """.formatted(upstream.url(), upstream.url()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private HttpResponse<String> post(String path, int bytes) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(bytes))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDeclaredLengthOverTheRoutesBoundIsRefusedBeforeTheUpstreamSeesAnything() throws Exception {
        HttpResponse<String> response = post("/small", 1025);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"error\":\"payload_too_large\"", "at most 1024");
        assertThat(upstreamRequests).hasValue(0);
    }

    @Test
    void aBodyWithinTheBoundPasses() throws Exception {
        HttpResponse<String> response = post("/small", 1024);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("got 1024");
    }

    @Test
    void aRouteWithoutABoundHasTheServers() throws Exception {
        assertThat(post("/other", 4096).statusCode()).isEqualTo(200);
        assertThat(post("/other", 4097).statusCode()).isEqualTo(413);
    }

    @Test
    void aChunkedBodyOverTheBoundGets413AndTheUpstreamNeverAnswersIt() throws Exception {
        String chunk = "x".repeat(600);
        RawHttp.Response response = RawHttp.exchange(gateway.port(),
                "POST /small HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");

        assertThat(response.status()).as(response.body()).isEqualTo(413);
        assertThat(upstreamRequests).hasValue(0);
    }
}
