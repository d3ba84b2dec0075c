package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.cluster.ConfigVersion;
import io.gridgate.cluster.Grid;
import io.gridgate.node.testing.TestCluster;
import io.gridgate.node.testing.TestUpstream;
import io.gridgate.node.testing.VersionEcho;
import io.undertow.server.HttpServerExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A configuration change on a cluster of three nodes (mock network): it reaches every node within a
 * second of being sent, requests keep flowing and each sees one version whole while versions swap, and
 * a request in flight finishes on the route it started with.
 */
class ConfigClusterTest {

    private static final Logger LOG = Logger.getLogger(ConfigClusterTest.class.getName());
    private static final String TOKEN = "cluster-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What an upstream echoes of a request on the items route: itself, the path it got, the identity header. */
    private static final Pattern ECHO = Pattern.compile("(first|second) /v(\\d+)/7 x-consumer-v(\\d+)");

    private final HttpClient client = HttpClient.newHttpClient();
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private final CountDownLatch slowArrived = new CountDownLatch(1);
    private TestUpstream first;
    private TestUpstream second;
    private TestCluster cluster;

    @BeforeEach
    void start() {
        first = TestUpstream.start(exchange -> {
            if (exchange.getRequestPath().startsWith("/slow")) {
                slowArrived.countDown();
                exchange.dispatch(() -> {
                    try {
                        releaseSlow.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.getResponseSender().send("first");
                });
                return;
            }
            echo(exchange, "first");
        });
        second = TestUpstream.start(exchange -> echo(exchange, "second"));
        cluster = TestCluster.start(3, """
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, token: %s}
                accessLog: {enabled: false}
                """.formatted(TOKEN) + document(1));
        // While partitions still migrate after the last member joined, a grid call to one of them is
        // retried after half a second: a cluster that is starting, not the bound these tests measure.
        cluster.awaitSafeState();
    }

    @AfterEach
    void stop() {
        releaseSlow.countDown();
        cluster.close();
        first.close();
        second.close();
    }

    /**
     * The shared sections of version {@code version}: the items route and auth both name it, the route
     * in the path it sends upstream, auth in the identity header's name, and odd versions go to the
     * first upstream, even ones to the second.
     */
    private String document(long version) {
        return VersionEcho.sections(version, (version % 2 == 1 ? first : second).url()) + """
                  - id: slow
                    match: {pathPrefix: /slow}
                    upstream: %s
                """.formatted(first.url());
    }

    private static void echo(HttpServerExchange exchange, String upstream) {
        String path = exchange.getRequestPath();
        exchange.getResponseSender().send(path.startsWith("/v") ? upstream + " " + VersionEcho.seen(path, exchange)
                : upstream);
    }

    private HttpResponse<String> put(int node, String path, String body, long basedOn) throws Exception {
        return client.send(HttpRequest.newBuilder(cluster.adminUri(node, path))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN).header("If-Match", "\"" + basedOn + "\"").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends the document in force back unchanged, which stores nothing: the first change a JVM sends
     * and handles loads the classes of the client's and the admin API's paths (about 0.8 s on a busy
     * machine), which would otherwise count against the bound a test measures.
     */
    private void warmUp() throws Exception {
        HttpResponse<String> unchanged = put(0, "/admin/config", document(1), 1);
        assertThat(unchanged.statusCode()).as(unchanged.body()).isEqualTo(200);
        assertThat(JSON.readTree(unchanged.body()).path("changed").asBoolean()).isFalse();
    }

    private HttpResponse<String> putRoute(int node, String id, String upstream, long basedOn) throws Exception {
        return put(node, "/admin/routes/" + id,
                "{\"match\": {\"pathPrefix\": \"/" + id + "\"}, \"upstream\": \"" + upstream + "\"}", basedOn);
    }

    private JsonNode clusterView(int node) throws Exception {
        return JSON.readTree(client.send(HttpRequest.newBuilder(cluster.adminUri(node, "/admin/cluster"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void aNodeRunningAnotherDocumentUnderTheSameNumberShowsAsBehindAndConvergesOnAMergeOrAMembershipChange()
            throws Exception {
        warmUp();
        HttpResponse<String> changed = putRoute(0, "carts", second.url(), 1);
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (int node = 0; node < 3; node++) {
                assertThat(cluster.get(node, "/carts/1").body()).isEqualTo("second");
            }
        });
        Grid grid = cluster.node(0).grid();
        ConfigVersion first = grid.config().version(1).toCompletableFuture().get(5, TimeUnit.SECONDS).orElseThrow();
        // The other side of a split made its own version 2 without the carts route, and its history was kept.
        ConfigVersion otherSide = ConfigVersion.of(2, first.document(), System.currentTimeMillis(),
                "admin API on the other side").inEpoch(System.currentTimeMillis());
        cluster.grids().replaceConfigHistory(grid, List.of(first, otherSide));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode view = clusterView(2);
            assertThat(view.path("configVersion").asLong()).isEqualTo(2);
            assertThat(view.path("configDigest").asText()).isEqualTo(otherSide.digest());
            assertThat(view.path("members")).hasSize(3).allSatisfy(member -> {
                assertThat(member.path("configVersion").asLong()).isEqualTo(2);
                assertThat(member.path("current").asBoolean()).as("same number, another document").isFalse();
            });
        });

        cluster.grids().announceMerge(grid);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(cluster.get(0, "/carts/1").statusCode()).isEqualTo(404));
        cluster.grids().newGrid(); // a member joins: every node hears of it

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (int node = 1; node < 3; node++) {
                assertThat(cluster.get(node, "/carts/1").statusCode()).isEqualTo(404);
            }
            assertThat(clusterView(2).path("members")).filteredOn(member -> !member.path("configVersion").isNull())
                    .hasSize(3).allSatisfy(member -> {
                        assertThat(member.path("configDigest").asText()).isEqualTo(otherSide.digest());
                        assertThat(member.path("current").asBoolean()).isTrue();
                    });
        });
    }

    @Test
    void aChangeThroughOneNodeIsServedByEveryNodeAndShownInTheClusterView() throws Exception {
        for (int node = 0; node < 3; node++) {
            assertThat(cluster.get(node, "/carts/1").statusCode()).isEqualTo(404);
        }
        warmUp();

        long sent = System.nanoTime();
        HttpResponse<String> changed = putRoute(0, "carts", second.url(), 1);

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        Map<Integer, Long> millis = new ConcurrentHashMap<>();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
            for (int node = 0; node < 3; node++) {
                if (!millis.containsKey(node) && "second".equals(cluster.get(node, "/carts/1").body())) {
                    millis.put(node, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
                }
            }
            assertThat(millis).hasSize(3);
        });
        // The figure (the README's "within 1 s") is logged, not asserted: a wall-clock bound in a test fails
        // on a busy machine for reasons that are not the code's. The wait above bounds it at 5 s.
        LOG.info(() -> "route served after the change was sent, by node: " + millis + " ms");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode view = clusterView(2);
            assertThat(view.path("configVersion").asLong()).isEqualTo(2);
            assertThat(view.path("members")).hasSize(3).allSatisfy(member -> {
                assertThat(member.path("configVersion").asLong()).isEqualTo(2);
                assertThat(member.path("current").asBoolean()).isTrue();
            });
        });
    }

    @Test
    void underTrafficToEveryNodeEachVersionOfTheRouteAndItsAuthIsServedWholeEverywhere()
            throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Map<String, Long> firstServed = new ConcurrentHashMap<>();
        ExecutorService senders = Executors.newFixedThreadPool(3);
        List<Long> lagsMillis = new ArrayList<>();
        List<Long> answerMillis = new ArrayList<>();
        warmUp();
        try {
            List<Future<?>> sending = IntStream.range(0, 3).<Future<?>>mapToObj(node -> senders.submit(() -> {
                long newest = 0;
                while (running.get()) {
                    long version = served(node, failures);
                    answered.incrementAndGet();
                    if (version < 0) {
                        continue;
                    }
                    firstServed.putIfAbsent(node + ":" + version, System.nanoTime());
                    if (version < newest) {
                        failures.add("node " + node + " went back from version " + newest + " to " + version);
                    }
                    newest = Math.max(newest, version);
                }
            })).toList();

            for (long version = 2; version <= 11; version++) {
                long sent = System.nanoTime();
                int via = (int) (version % 3);
                HttpResponse<String> changed = put(via, "/admin/config", document(version), version - 1);
                answerMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
                assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
                long expected = version;
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2)).until(() ->
                        IntStream.range(0, 3).allMatch(node -> firstServed.containsKey(node + ":" + expected)));
                for (int node = 0; node < 3; node++) {
                    lagsMillis.add(TimeUnit.NANOSECONDS.toMillis(firstServed.get(node + ":" + expected) - sent));
                }
            }
            running.set(false);
            for (Future<?> sender : sending) {
                sender.get(10, TimeUnit.SECONDS);
            }
        } finally {
            running.set(false);
            senders.shutdownNow();
        }

        LOG.info(() -> answered + " requests; each change answered after " + answerMillis + " ms; each version first"
                + " served by each node this long after it was sent: " + lagsMillis + " ms");
        assertThat(failures).isEmpty();
        assertThat(answered.get()).isGreaterThan(30);
    }

    /**
     * One request to the items route through {@code node}: the version that served it, or -1 with
     * the reason in {@code failures} when it failed or mixed two versions.
     */
    private long served(int node, List<String> failures) {
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(cluster.uri(node, "/items/7"))
                    .header("X-API-Key", VersionEcho.API_KEY).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            failures.add("node " + node + ": " + e);
            return -1;
        }
        Matcher echo = ECHO.matcher(response.body());
        if (response.statusCode() != 200 || !echo.matches()) {
            failures.add("node " + node + ": " + response.statusCode() + " " + response.body());
            return -1;
        }
        long route = Long.parseLong(echo.group(2));
        String upstream = route % 2 == 1 ? "first" : "second";
        if (route != Long.parseLong(echo.group(3)) || !upstream.equals(echo.group(1))) {
            failures.add("node " + node + " mixed versions: " + response.body());
            return -1;
        }
        return route;
    }

    @Test
    void aRequestInFlightFinishesOnTheRouteItStartedWith() throws Exception {
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                HttpRequest.newBuilder(cluster.uri(1, "/slow/1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(slowArrived.await(5, TimeUnit.SECONDS)).as("the request reached the first upstream").isTrue();

        HttpResponse<String> changed = putRoute(0, "slow", second.url(), 1);
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> "second".equals(cluster.get(1, "/slow/2").body()));
        releaseSlow.countDown();

        HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).isEqualTo("first");
    }
}
