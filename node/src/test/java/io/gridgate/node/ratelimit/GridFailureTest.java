package io.gridgate.node.ratelimit;

import io.gridgate.cluster.RateLimiter;
import io.gridgate.cluster.ratelimit.RateDecision;
import io.gridgate.cluster.ratelimit.RateLimit;
import io.gridgate.cluster.ratelimit.RateSnapshot;
import io.gridgate.node.pipeline.ErrorHandler;
import io.gridgate.node.pipeline.RouteHandler;
import io.gridgate.node.pipeline.Snapshot;
import io.gridgate.node.proxy.ProxyHandler;
import io.gridgate.node.routing.RouteTable;
import io.gridgate.node.routing.Router;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.gridgate.node.config.ServiceConfig;
import io.gridgate.node.upstream.Upstreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A grid that never answers, injected as a fault: each policy's onGridError decides, after its
 * gridTimeout, and no I/O thread waits meanwhile.
 */
class GridFailureTest {

    /** The fault: every grid call hangs forever. */
    private static final RateLimiter STALLED = new RateLimiter() {
        @Override
        public CompletionStage<RateDecision> tryAcquire(String key, List<RateLimit> limits, int permits) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletionStage<Lease> lease(String key, List<RateLimit> limits, int wanted) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletionStage<RateSnapshot> peek(String key, List<RateLimit> limits) {
            return new CompletableFuture<>();
        }
    };

    private final TestUpstream upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("ok"));
    private final Upstreams upstreams = new Upstreams();
    private TestUpstream gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstreams.close();
        upstream.close();
    }

    private int status(String path) throws Exception {
        var config = TestGateway.config("""
                routes:
                  - id: lenient
                    match: {pathPrefix: /lenient}
                    upstream: %1$s
                    rateLimits: [{id: a, limits: [{permits: 1, per: 1s}], gridTimeout: 100ms, onGridError: allow}]
                  - id: strict
                    match: {pathPrefix: /strict}
                    upstream: %1$s
                    rateLimits: [{id: b, limits: [{permits: 1, per: 1s}], gridTimeout: 100ms, onGridError: deny}]
                  - id: leased
                    match: {pathPrefix: /leased}
                    upstream: %1$s
                    rateLimits: [{id: c, limits: [{permits: 1, per: 1s}], mode: leased, gridTimeout: 100ms, onGridError: deny}]
                """.formatted(upstream.url()));
        // No auth in this chain, so the snapshot needs no authenticators.
        Router router = new Router(new Snapshot(1, RouteTable.compile(config.routes(),
                (target, route) -> upstreams.forUrl(URI.create(target), route.pool(), ServiceConfig::defaults)), null));
        gateway = TestUpstream.start(new ErrorHandler(new RouteHandler(router, new RateLimitHandler(STALLED, new ProxyHandler()))));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void allowAdmitsTheRequestWhenTheGridDoesNotAnswerInTime() throws Exception {
        assertThat(status("/lenient")).isEqualTo(200);
    }

    @Test
    void denyRefusesItWith503() throws Exception {
        assertThat(status("/strict")).isEqualTo(503);
    }

    @Test
    void leasedModeFollowsTheSamePolicy() throws Exception {
        assertThat(status("/leased")).isEqualTo(503);
    }
}
