package io.gridgate.node.pipeline;

import io.gridgate.cluster.ApiKeyOwner;
import io.gridgate.cluster.ApiKeyStore;
import io.gridgate.node.auth.AuthHandler;
import io.gridgate.node.auth.Authenticators;
import io.gridgate.node.config.GatewayConfig;
import io.gridgate.node.config.ServiceConfig;
import io.gridgate.node.routing.RouteMatch;
import io.gridgate.node.routing.RouteTable;
import io.gridgate.node.routing.Router;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.gridgate.node.testing.VersionEcho;
import io.gridgate.node.upstream.Upstreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request uses one configuration version from routing to the end: a version swapped in after its
 * route was matched does not lend it its authenticators.
 */
class SnapshotTest {

    /** The grid's key store, kept in memory: this test is about versions, not the grid. */
    private static final class MemoryKeys implements ApiKeyStore {
        private final Map<String, ApiKeyOwner> owners = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<Optional<ApiKeyOwner>> find(String keyDigest) {
            return CompletableFuture.completedFuture(Optional.ofNullable(owners.get(keyDigest)));
        }

        @Override
        public CompletionStage<Void> putAll(Map<String, ApiKeyOwner> added) {
            owners.putAll(added);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> remove(String keyDigest) {
            owners.remove(keyDigest);
            return CompletableFuture.completedFuture(null);
        }
    }

    private final MemoryKeys keys = new MemoryKeys();
    private final Upstreams upstreams = new Upstreams();
    private TestUpstream gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstreams.close();
    }

    private Snapshot version(int version) {
        GatewayConfig config = TestGateway.config(VersionEcho.sections(version, "http://127.0.0.1:9"));
        RouteTable table = RouteTable.compile(config.routes(),
                (upstream, route) -> upstreams.forUrl(URI.create(upstream), route.pool(), ServiceConfig::defaults));
        return new Snapshot(version, table, Authenticators.start(config.auth(), keys, Clock.systemUTC()));
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .header("X-API-Key", VersionEcho.API_KEY).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aVersionSwappedInAfterTheRouteWasMatchedDoesNotAuthenticateTheRequest() throws Exception {
        Router router = new Router(version(1));
        Snapshot second = version(2);
        AuthHandler auth = new AuthHandler(exchange -> exchange.getResponseSender()
                .send(VersionEcho.seen(exchange.getAttachment(RouteMatch.KEY).upstreamPath(), exchange)));
        gateway = TestUpstream.start(new RouteHandler(router, exchange -> {
            router.replace(second);
            auth.handleRequest(exchange);
        }));

        assertThat(get("/items/7")).isEqualTo("/v1/7 x-consumer-v1");
        assertThat(get("/items/8")).isEqualTo("/v2/8 x-consumer-v2");
    }
}
