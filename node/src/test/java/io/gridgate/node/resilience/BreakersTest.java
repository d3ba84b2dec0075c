package io.gridgate.node.resilience;

import io.gridgate.cluster.BreakerNotice;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.testing.MutableClock;
import io.gridgate.cluster.testing.TestGrids;
import io.gridgate.node.config.CircuitBreakerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BreakersTest {

    private static final long MS = 1_000_000;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final TestGrids grids = new TestGrids();

    @AfterEach
    void tearDown() {
        grids.close();
    }

    /** Opens after 5 calls at 50 %, for 10 s; probes jitter by up to 1 s. */
    private static CircuitBreakerConfig config(int quorum) {
        return new CircuitBreakerConfig(true, CircuitBreakerConfig.Window.COUNT, 10, 5, 50, Duration.ofSeconds(10),
                100, Duration.ofSeconds(10), 2, Set.of(502, 503), true, quorum, Duration.ofSeconds(1));
    }

    private Breakers breakersOn(Grid grid) {
        return Breakers.shared(grid.breakers(), grid.localMemberId(), clock);
    }

    private Breaker breakerOn(Grid grid, int quorum) {
        return breakersOn(grid).breaker("orders", config(quorum));
    }

    private static void fail(Breaker breaker, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(breaker.tryAcquire()).isTrue();
            breaker.onFailure(5 * MS);
        }
    }

    @Test
    void aBreakerAskedForWithOtherSettingsIsMadeAgainWithThem() {
        Breakers breakers = Breakers.local(clock);
        Breaker first = breakers.breaker("orders", config(1));
        fail(first, 5);
        assertThat(first.state()).isEqualTo("OPEN");

        assertThat(breakers.breaker("orders", config(1))).as("same settings, same breaker").isSameAs(first);
        Breaker retuned = breakers.breaker("orders", config(2));

        assertThat(retuned).isNotSameAs(first);
        assertThat(retuned.config()).isEqualTo(config(2));
        assertThat(retuned.state()).as("a retuned breaker starts closed").isEqualTo("CLOSED");
        assertThat(breakers.find("orders")).containsSame(retuned);
    }

    @Test
    void opensAtTheFailureRateAndRefusesUntilTheWaitIsOver() {
        Breaker breaker = Breakers.local(clock).breaker("orders", config(1));
        fail(breaker, 4);
        assertThat(breaker.state()).isEqualTo("CLOSED");
        fail(breaker, 1);
        assertThat(breaker.state()).isEqualTo("OPEN");
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.retryAfterSeconds()).isEqualTo(10);

        clock.advance(Duration.ofSeconds(10).plusMillis(1));
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.state()).isEqualTo("HALF_OPEN");
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).as("only two probes in half-open").isFalse();
        breaker.onResponse(200, MS);
        breaker.onResponse(200, MS);
        assertThat(breaker.state()).isEqualTo("CLOSED");
    }

    @Test
    void countsConfiguredStatusesAsFailuresAndOthersAsSuccesses() {
        Breaker breaker = Breakers.local(clock).breaker("orders", config(1));
        for (int i = 0; i < 5; i++) {
            breaker.tryAcquire();
            breaker.onResponse(500, MS); // not one of 502, 503
        }
        assertThat(breaker.state()).isEqualTo("CLOSED");
        assertThat(breaker.failureRate()).isZero();
        for (int i = 0; i < 5; i++) {
            breaker.tryAcquire();
            breaker.onResponse(503, MS);
        }
        assertThat(breaker.state()).isEqualTo("OPEN");
    }

    @Test
    void aDisabledBreakerPermitsEverything() {
        CircuitBreakerConfig off = new CircuitBreakerConfig(false, CircuitBreakerConfig.Window.COUNT, 10, 5, 50,
                Duration.ofSeconds(10), 100, Duration.ofSeconds(10), 2, Set.of(502), true, 1, Duration.ZERO);
        Breaker breaker = Breakers.local(clock).breaker("orders", off);
        fail(breaker, 50);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.state()).isEqualTo("DISABLED");
    }

    @Test
    void aTripOnOneNodeOpensTheBreakerOnTheOthersForTheRemainingTimePlusJitter() {
        Grid a = grids.newGrid();
        Grid b = grids.newGrid();
        Grid c = grids.newGrid();
        Breaker onA = breakerOn(a, 1);
        Breaker onB = breakerOn(b, 1);
        Breaker onC = breakerOn(c, 1);

        fail(onA, 5);

        await().atMost(Duration.ofSeconds(2)).until(() -> onB.state().equals("OPEN") && onC.state().equals("OPEN"));
        assertThat(onB.tryAcquire()).isFalse();
        assertThat(onB.retryAfterSeconds()).isBetween(10L, 11L);
        // The nodes that opened on a notice did not publish trips of their own.
        assertThat(a.breakers().notices().get("orders").origin()).isEqualTo(a.localMemberId());
    }

    @Test
    void noticesAreNotAppliedTwiceAndDoNotLoop() {
        Grid a = grids.newGrid();
        Grid b = grids.newGrid();
        List<BreakerNotice> seen = new CopyOnWriteArrayList<>();
        a.breakers().subscribe(seen::add);
        Breaker onA = breakerOn(a, 1);
        Breaker onB = breakerOn(b, 1);

        fail(onA, 5);
        await().atMost(Duration.ofSeconds(2)).until(() -> onB.state().equals("OPEN"));
        // B trips on its own too while open elsewhere: the board already says open, so nothing new goes out.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> seen.size() == 1);
        assertThat(seen.get(0).kind()).isEqualTo(BreakerNotice.Kind.OPEN);
    }

    @Test
    void aNodeThatStartsLaterLearnsTheOpenBreaker() {
        Grid a = grids.newGrid();
        Breaker onA = breakerOn(a, 1);
        fail(onA, 5);
        await().atMost(Duration.ofSeconds(2)).until(() -> a.breakers().notices().containsKey("orders"));

        Grid late = grids.newGrid();
        Breaker onLate = breakerOn(late, 1);
        assertThat(onLate.state()).isEqualTo("OPEN");
    }

    @Test
    void withAQuorumOfTwoOneNodesTripOpensOnlyThatNode() {
        Grid a = grids.newGrid();
        Grid b = grids.newGrid();
        Grid c = grids.newGrid();
        Breaker onA = breakerOn(a, 2);
        Breaker onB = breakerOn(b, 2);
        Breaker onC = breakerOn(c, 2);

        fail(onA, 5);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> onC.state().equals("CLOSED"));

        fail(onB, 5);
        await().atMost(Duration.ofSeconds(2)).until(() -> onC.state().equals("OPEN"));
        assertThat(onA.state()).isEqualTo("OPEN");
    }

    @Test
    void anOperatorForcesABreakerOpenAndClosedOnEveryNode() {
        Grid a = grids.newGrid();
        Grid b = grids.newGrid();
        Breakers onA = breakersOn(a);
        Breaker breakerA = onA.breaker("orders", config(1));
        Breaker breakerB = breakerOn(b, 1);

        onA.forceOpen("orders", true).toCompletableFuture().join();
        assertThat(breakerA.state()).isEqualTo("FORCED_OPEN");
        await().atMost(Duration.ofSeconds(2)).until(() -> breakerB.state().equals("FORCED_OPEN"));

        onA.forceClose("orders", true).toCompletableFuture().join();
        assertThat(breakerA.state()).isEqualTo("CLOSED");
        await().atMost(Duration.ofSeconds(2)).until(() -> breakerB.state().equals("CLOSED"));
    }

    @Test
    void aNodeScopedCommandLeavesTheOtherNodesAlone() {
        Grid a = grids.newGrid();
        Grid b = grids.newGrid();
        Breakers onA = breakersOn(a);
        Breaker breakerA = onA.breaker("orders", config(1));
        Breaker breakerB = breakerOn(b, 1);

        onA.forceOpen("orders", false).toCompletableFuture().join();
        assertThat(breakerA.state()).isEqualTo("FORCED_OPEN");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> breakerB.state().equals("CLOSED"));
        assertThat(Optional.ofNullable(a.breakers().notices().get("orders"))).isEmpty();
    }
}
