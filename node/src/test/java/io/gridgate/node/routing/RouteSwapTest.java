package io.gridgate.node.routing;

import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.gridgate.node.config.ServiceConfig;
import io.gridgate.node.pipeline.Snapshot;
import io.gridgate.node.upstream.Upstreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class RouteSwapTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final TestUpstream blue = TestUpstream.start(exchange -> exchange.getResponseSender().send("blue"));
    private final TestUpstream green = TestUpstream.start(exchange -> exchange.getResponseSender().send("green"));
    private final Upstreams upstreams = new Upstreams();
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstreams.close();
        blue.close();
        green.close();
    }

    private String get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aReplacedTableServesTheNextRequestWithoutARestart() throws Exception {
        gateway = TestGateway.withRoutes("""
                - {id: app, match: {pathPrefix: /app}, upstream: "%s"}
                """.formatted(blue.url()));
        assertThat(get("/app")).isEqualTo("blue");
        RouteTable next = RouteTable.compile(TestGateway.config("""
                routes:
                  - {id: app, match: {pathPrefix: /app}, upstream: "%s"}
                  - {id: new, match: {pathPrefix: /new}, upstream: "%s"}
                """.formatted(green.url(), green.url())).routes(), (upstream, route) -> upstreams.forUrl(URI.create(upstream), route.pool(), ServiceConfig::defaults));

        Router router = gateway.node().router();
        Snapshot previous = router.replace(new Snapshot(2, next, router.snapshot().authenticators()));

        assertThat(previous.routes().routes()).extracting(Route::id).containsExactly("app");
        assertThat(get("/app")).isEqualTo("green");
        assertThat(get("/new")).isEqualTo("green");
    }
}
