package io.gridgate.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.InstanceState;
import io.gridgate.cluster.RegisterOutcome;
import io.gridgate.cluster.ServiceInstance;
import io.gridgate.cluster.ServiceRegistry;
import io.gridgate.cluster.testing.MutableClock;
import io.gridgate.cluster.testing.TestGrids;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static com.hazelcast.test.HazelcastTestSupport.assertTrueEventually;
import static org.assertj.core.api.Assertions.assertThat;

class ServiceRegistryTest {

    private static final Duration TTL = Duration.ofSeconds(30);

    private final TestGrids grids = new TestGrids();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));

    @AfterEach
    void terminate() {
        grids.close();
    }

    private static ServiceInstance instance(String id, int port) {
        return new ServiceInstance("orders", id, "http", "10.0.0.1", port, 1, Optional.of("eu-1a"),
                Map.of("version", "1.4"), TTL);
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static List<String> ids(ServiceRegistry registry) {
        return registry.instances("orders").stream().map(state -> state.instance().id()).toList();
    }

    @Test
    void anInstanceRegisteredThroughOneNodeIsKnownToEvery() {
        Grid first = grids.newGrid(clock);
        Grid second = grids.newGrid(clock);
        Grid third = grids.newGrid(clock);

        assertThat(await(first.registry().register(instance("a", 8001)))).isEqualTo(RegisterOutcome.CREATED);

        for (Grid grid : List.of(first, second, third)) {
            assertTrueEventually(() -> assertThat(ids(grid.registry())).containsExactly("a"));
        }
        InstanceState seen = third.registry().instances("orders").get(0);
        assertThat(seen.instance()).isEqualTo(instance("a", 8001));
        assertThat(seen.registeredAt()).isEqualTo(clock.instant());
        assertThat(seen.isLive(clock.instant())).isTrue();
    }

    @Test
    void aRenewalWithUnchangedSettingsRewritesNothing() {
        Grid grid = grids.newGrid(clock);
        HazelcastInstance member = ((HazelcastGrid) grid).hazelcast();
        AtomicInteger updates = new AtomicInteger();
        member.getMap(HazelcastServiceRegistry.REGISTRY)
                .addEntryListener((EntryUpdatedListener<Object, Object>) event -> updates.incrementAndGet(), false);
        await(grid.registry().register(instance("a", 8001)));

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(10));
            assertThat(await(grid.registry().register(instance("a", 8001)))).isEqualTo(RegisterOutcome.RENEWED);
        }
        assertThat(await(grid.registry().register(instance("a", 9001)))).isEqualTo(RegisterOutcome.UPDATED);

        assertTrueEventually(() -> assertThat(updates.get()).isEqualTo(1));
        InstanceState state = grid.registry().instances("orders").get(0);
        assertThat(state.instance().port()).isEqualTo(9001);
        assertThat(state.registeredAt()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
    }

    @Test
    void anInstanceThatStopsHeartbeatingIsNotLiveAfterItsTtlAndRenewalsReachOtherNodes() {
        Grid first = grids.newGrid(clock);
        Grid second = grids.newGrid(clock);
        await(first.registry().register(instance("a", 8001)));
        assertTrueEventually(() -> assertThat(ids(second.registry())).containsExactly("a"));

        clock.advance(TTL.minusMillis(1));
        assertThat(second.registry().instances("orders").get(0).isLive(clock.instant())).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(second.registry().instances("orders").get(0).isLive(clock.instant())).isFalse();

        await(first.registry().register(instance("a", 8001)));
        assertTrueEventually(() -> assertThat(second.registry().instances("orders").get(0).isLive(clock.instant())).isTrue());
    }

    @Test
    void aDeregisteredInstanceLeavesEveryNode() {
        Grid first = grids.newGrid(clock);
        Grid second = grids.newGrid(clock);
        await(first.registry().register(instance("a", 8001)));
        await(first.registry().register(instance("b", 8002)));
        assertTrueEventually(() -> assertThat(ids(second.registry())).containsExactly("a", "b"));

        assertThat(await(second.registry().deregister("orders", "a"))).isTrue();
        assertThat(await(second.registry().deregister("orders", "nope"))).isFalse();

        assertTrueEventually(() -> assertThat(ids(first.registry())).containsExactly("b"));
        assertThat(ids(second.registry())).containsExactly("b");
    }

    @Test
    void losingOneOfThreeNodesLosesNoRegistration() {
        Grid first = grids.newGrid(clock);
        Grid second = grids.newGrid(clock);
        Grid third = grids.newGrid(clock);
        grids.awaitSafeState();
        IntStream.range(0, 100).forEach(i -> await(first.registry().register(instance("i" + i, 8000 + i))));

        grids.crash(second);

        assertTrueEventually(() -> assertThat(first.memberCount()).isEqualTo(2));
        Grid late = grids.newGrid(clock);
        for (Grid grid : List.of(first, third, late)) {
            assertTrueEventually(() -> assertThat(grid.registry().instances("orders")).hasSize(100));
        }
    }

    @Test
    void anEjectionMadeOnOneNodeIsHonouredByEveryUntilItEndsOrIsLifted() {
        Grid first = grids.newGrid(clock);
        Grid second = grids.newGrid(clock);
        Instant until = clock.instant().plusSeconds(30);

        await(first.registry().eject("orders", "a", until, "5 consecutive failures"));

        assertTrueEventually(() -> assertThat(second.registry().ejectedUntil("orders", "a")).isEqualTo(until));
        clock.advance(Duration.ofSeconds(31));
        assertThat(second.registry().ejectedUntil("orders", "a")).isNull();

        await(first.registry().eject("orders", "b", clock.instant().plusSeconds(30), "probe failed"));
        assertTrueEventually(() -> assertThat(second.registry().ejectedUntil("orders", "b")).isNotNull());
        await(second.registry().readmit("orders", "b"));
        assertTrueEventually(() -> assertThat(first.registry().ejectedUntil("orders", "b")).isNull());
    }

    @Test
    void exactlyOneNodeProbesEachInstance() {
        List<Grid> nodes = List.of(grids.newGrid(clock), grids.newGrid(clock), grids.newGrid(clock));
        assertTrueEventually(() -> assertThat(nodes.get(0).memberCount()).isEqualTo(3));

        for (int i = 0; i < 20; i++) {
            String id = "i" + i;
            assertThat(nodes.stream().filter(node -> node.registry().isProbedHere("orders", id))).hasSize(1);
        }
    }
}
