package io.gridgate.node.registry;

import io.gridgate.cluster.InstanceState;
import io.gridgate.cluster.ServiceInstance;
import io.gridgate.cluster.ServiceRegistry;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.gridgate.registry.client.GridgateRegistration;
import io.gridgate.registry.client.RegistrationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The registry client against a whole gateway node: what it registers is what the cluster's
 * registry holds, renewals move the heartbeat, close removes the instance, and refusals and
 * unreachable nodes come out as the client promises. Each test uses its own service name, so they
 * share one node.
 */
class RegistrationClientTest {

    private static final String TOKEN = "registry-test-token-4f1c9a";
    private static final Duration SHORT_TTL = Duration.ofSeconds(3);

    private static TestGateway gateway;
    private static ServiceRegistry registry;

    @BeforeAll
    static void startGateway() {
        gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, registrationToken: %s}
                routes: []
                """.formatted(TOKEN));
        registry = gateway.node().grid().registry();
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void registersAtOnceWithEveryFieldItWasGiven() {
        Map<String, String> metadata = Map.of(
                "version", "1.4.2",
                "note", "\"quoted\", back\\slash, new\nline, tab\t, ünïcödé ✓ and \u0001");
        try (GridgateRegistration registration = GridgateRegistration.builder(admin(), TOKEN)
                .service("orders").instanceId("orders-1")
                .host("10.0.0.5").port(8443).scheme("https").weight(7).zone("eu-1a")
                .metadata(metadata).ttl(Duration.ofSeconds(30))
                .start()) {
            assertThat(registration.lastOutcome().status()).hasValue(201);
            assertThat(registration.lastOutcome().detail()).isEqualTo("created");
            assertThat(registration.instanceId()).isEqualTo("orders-1");

            await().untilAsserted(() -> assertThat(registry.instances("orders"))
                    .extracting(InstanceState::instance)
                    .containsExactly(new ServiceInstance("orders", "orders-1", "https", "10.0.0.5", 8443, 7,
                            Optional.of("eu-1a"), metadata, Duration.ofSeconds(30))));
        }
    }

    @Test
    void generatesAnInstanceIdAndAppliesTheDefaultsWhenNoneAreGiven() {
        try (GridgateRegistration registration = GridgateRegistration.builder(admin(), TOKEN)
                .service("catalog").host("127.0.0.1").port(9000)
                .start()) {
            assertThat(registration.instanceId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            await().untilAsserted(() -> assertThat(registry.instances("catalog"))
                    .extracting(InstanceState::instance)
                    .containsExactly(new ServiceInstance("catalog", registration.instanceId(), "http", "127.0.0.1", 9000, 1,
                            Optional.empty(), Map.of(), Duration.ofSeconds(30))));
        }
    }

    @Test
    void renewsEveryThirdOfTheTtlSoTheHeartbeatAdvances() {
        try (GridgateRegistration registration = GridgateRegistration.builder(admin(), TOKEN)
                .service("payments").instanceId("payments-1").host("127.0.0.1").port(9001).ttl(SHORT_TTL)
                .start()) {
            Instant first = await().until(() -> heartbeat("payments", "payments-1"), h -> h != null);

            await().atMost(SHORT_TTL).until(() -> heartbeat("payments", "payments-1"), h -> h.isAfter(first));
            await().untilAsserted(() -> {
                assertThat(registration.lastOutcome().status()).hasValue(200);
                assertThat(registration.lastOutcome().detail()).isEqualTo("renewed");
            });
            assertThat(registry.instances("payments").get(0).isLive(Instant.now())).isTrue();
        }
    }

    @Test
    void closeDeregistersTheInstanceAtOnce() {
        GridgateRegistration registration = GridgateRegistration.builder(admin(), TOKEN)
                .service("shipping").instanceId("shipping-1").host("127.0.0.1").port(9002)
                .start();
        await().until(() -> registry.instances("shipping").size() == 1);

        registration.close();

        assertThat(registration.lastOutcome().status()).hasValue(204);
        assertThat(registration.lastOutcome().detail()).isEqualTo("deregistered");
        await().atMost(Duration.ofSeconds(2)).until(() -> registry.instances("shipping").isEmpty());
        registration.close(); // a second close does nothing
        assertThat(registration.lastOutcome().status()).hasValue(204);
    }

    @Test
    void startFailsNaming401WhenTheTokenIsWrong() {
        var builder = GridgateRegistration.builder(admin(), "not-the-registration-token")
                .service("billing").instanceId("billing-1").host("127.0.0.1").port(9003);

        assertThatThrownBy(builder::start)
                .isInstanceOf(RegistrationException.class)
                .hasMessageContaining("billing/billing-1")
                .hasMessageContaining("rejected with HTTP 401")
                .hasMessageContaining("\"error\":\"unauthorized\"")
                .satisfies(e -> assertThat(((RegistrationException) e).status()).isEqualTo(401));
        assertThat(registry.instances("billing")).isEmpty();
    }

    @Test
    void rejectsAnInvalidFieldInTheBuilderNamingFieldValueAndRange() {
        var builder = GridgateRegistration.builder(admin(), TOKEN).service("search");

        assertThatThrownBy(() -> builder.port(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port: 0 (expected: 1 to 65535)");
        assertThatThrownBy(() -> builder.ttl(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ttl: PT0S (expected: 1s to 1h)");
        assertThatThrownBy(() -> builder.service("Search Engine"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("service: \"Search Engine\" (expected: a value matching [a-z0-9][a-z0-9._-]{0,63})");
        assertThatThrownBy(() -> builder.host("127.0.0.1").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot register: port: missing (expected: 1 to 65535)");
        assertThatThrownBy(() -> GridgateRegistration.builder(admin(), "short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("token: a 5-character value (expected:");
        assertThat(registry.instances("search")).isEmpty();
    }

    @Test
    void registersAndRenewsThroughTheSecondAdminUrlWhenTheFirstIsClosed() throws IOException {
        URI closed = URI.create("http://127.0.0.1:" + closedPort());
        try (GridgateRegistration registration = GridgateRegistration.builder(List.of(closed, admin()), TOKEN)
                .service("inventory").instanceId("inventory-1").host("127.0.0.1").port(9004).ttl(SHORT_TTL)
                .start()) {
            assertThat(registration.lastOutcome().adminUrl()).isEqualTo(admin());
            assertThat(registration.lastOutcome().status()).hasValue(201);
            Instant first = await().until(() -> heartbeat("inventory", "inventory-1"), h -> h != null);

            await().atMost(SHORT_TTL).until(() -> heartbeat("inventory", "inventory-1"), h -> h.isAfter(first));
            await().untilAsserted(() -> {
                assertThat(registration.lastOutcome().succeeded()).isTrue();
                assertThat(registration.lastOutcome().adminUrl()).isEqualTo(admin());
                assertThat(registration.lastOutcome().detail()).isEqualTo("renewed");
            });
        }
    }

    @Test
    void movesToTheNextAdminUrlAfterAFailedRenewal() {
        AtomicInteger calls = new AtomicInteger();
        // Takes the first registration, then fails every renewal, as a node that lost its grid would.
        try (TestUpstream failing = TestUpstream.start(exchange -> {
            exchange.setStatusCode(calls.incrementAndGet() == 1 ? 201 : 503);
            exchange.endExchange();
        })) {
            URI failingUrl = URI.create(failing.url());
            try (GridgateRegistration registration = GridgateRegistration.builder(List.of(failingUrl, admin()), TOKEN)
                    .service("reviews").instanceId("reviews-1").host("127.0.0.1").port(9005).ttl(SHORT_TTL)
                    .start()) {
                assertThat(registration.lastOutcome().adminUrl()).isEqualTo(failingUrl);

                // The first renewal fails (503), the next goes to the real node and registers anew.
                await().atMost(SHORT_TTL).until(() -> registry.instances("reviews").size() == 1);
                await().untilAsserted(() -> {
                    assertThat(registration.lastOutcome().adminUrl()).isEqualTo(admin());
                    assertThat(registration.lastOutcome().consecutiveFailures()).isZero();
                });
                assertThat(calls).hasValue(2);
            }
        }
    }

    private static URI admin() {
        return gateway.adminUri("");
    }

    private static Instant heartbeat(String service, String id) {
        return registry.instances(service).stream()
                .filter(state -> state.instance().id().equals(id))
                .map(InstanceState::lastHeartbeat)
                .findFirst().orElse(null);
    }

    /** A loopback port nothing listens on: bound, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
