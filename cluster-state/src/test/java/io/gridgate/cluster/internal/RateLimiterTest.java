package io.gridgate.cluster.internal;

import com.hazelcast.core.EntryView;
import com.hazelcast.map.IMap;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.RateLimiter;
import io.gridgate.cluster.ratelimit.RateLimit;
import io.gridgate.cluster.ratelimit.RateLimitState;
import io.gridgate.cluster.ratelimit.RateSnapshot;
import io.gridgate.cluster.testing.TestGrids;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static com.hazelcast.test.HazelcastTestSupport.assertTrueEventually;
import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

    /** 100 per hour with a burst of 100: within a test, exactly 100 are ever admitted. */
    private static final List<RateLimit> HUNDRED = List.of(RateLimit.tokenBucket(100, Duration.ofHours(1), 100));

    private final TestGrids grids = new TestGrids();

    @AfterEach
    void terminate() {
        grids.close();
    }

    private static boolean admitted(Grid grid, String key) {
        return grid.rateLimiter().tryAcquire(key, HUNDRED, 1).toCompletableFuture().join().allowed();
    }

    @Test
    void threeClientsOnThreeNodesAreAdmittedExactlyTheLimitBetweenThem() throws Exception {
        List<Grid> nodes = List.of(grids.newGrid(), grids.newGrid(), grids.newGrid());
        assertTrueEventually(() -> assertThat(nodes.get(0).memberCount()).isEqualTo(3));
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (Grid node : nodes) {
            clients.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < 100; i++) {
                    if (admitted(node, "route:api|ip:203.0.113.7")) {
                        admitted.incrementAndGet();
                    }
                }
            }));
        }

        start.countDown();
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).join();

        assertThat(admitted.get()).isEqualTo(100);
    }

    @Test
    void theSurvivorsKeepTheCountWhenTheKeysOwnerDies() {
        List<Grid> nodes = new ArrayList<>(List.of(grids.newGrid(), grids.newGrid(), grids.newGrid()));
        // Until the first migrations finish, a partition may have no backup replica to write to.
        grids.awaitSafeState();
        String key = "route:api|ip:198.51.100.1";
        for (int i = 0; i < 60; i++) {
            assertThat(admitted(nodes.get(i % 3), key)).isTrue();
        }
        Grid owner = owner(nodes, key);

        grids.crash(owner);
        nodes.remove(owner);

        assertTrueEventually(() -> assertThat(nodes.get(0).memberCount()).isEqualTo(2));
        int more = 0;
        for (int i = 0; i < 100; i++) {
            if (admitted(nodes.get(i % 2), key)) {
                more++;
            }
        }
        assertThat(more).isEqualTo(40);
    }

    @Test
    void aLeaseGrantsWhatIsLeftAndNothingMore() {
        Grid grid = grids.newGrid();
        RateLimiter limiter = grid.rateLimiter();

        assertThat(limiter.lease("k", HUNDRED, 30).toCompletableFuture().join().granted()).isEqualTo(30);
        assertThat(limiter.lease("k", HUNDRED, 60).toCompletableFuture().join().granted()).isEqualTo(60);
        RateLimiter.Lease last = limiter.lease("k", HUNDRED, 30).toCompletableFuture().join();
        assertThat(last.granted()).isEqualTo(10);
        assertThat(last.decision().remaining()).isZero();
        RateLimiter.Lease none = limiter.lease("k", HUNDRED, 30).toCompletableFuture().join();
        assertThat(none.granted()).isZero();
        assertThat(none.decision().retryAfter()).isPositive();
    }

    private static RateSnapshot peek(Grid grid, String key, List<RateLimit> limits) {
        return grid.rateLimiter().peek(key, limits).toCompletableFuture().join();
    }

    /** The member that holds the key's counters, and so decides for it. */
    private static Grid owner(List<Grid> nodes, String key) {
        return nodes.stream().filter(node -> ((HazelcastGrid) node).hazelcast().getPartitionService()
                .getPartition(key).getOwner().localMember()).findFirst().orElseThrow();
    }

    @Test
    void aPeekFromAnyMemberShowsWhatIsLeftAndChargesNothing() {
        List<Grid> nodes = List.of(grids.newGrid(), grids.newGrid());
        grids.awaitSafeState();
        String key = "per-client|ip=203.0.113.9";
        Grid other = nodes.stream().filter(node -> node != owner(nodes, key)).findFirst().orElseThrow();
        for (int i = 0; i < 3; i++) {
            assertThat(admitted(nodes.get(i % 2), key)).isTrue();
        }
        long before = System.currentTimeMillis();

        RateSnapshot first = peek(other, key, HUNDRED);
        RateSnapshot second = peek(owner(nodes, key), key, HUNDRED);

        assertThat(first.exists()).isTrue();
        assertThat(first.admitsOne()).isTrue();
        assertThat(first.atMillis()).isBetween(before, System.currentTimeMillis());
        assertThat(first.limits()).singleElement().satisfies(limit -> {
            assertThat(limit.remaining()).isEqualTo(97);
            assertThat(limit.nextPermit()).isZero();
            assertThat(limit.reset()).isPositive();
        });
        assertThat(second.limits().get(0).remaining()).as("the first peek charged nothing").isEqualTo(97);
        assertThat(nodes.get(0).rateLimiter().tryAcquire(key, HUNDRED, 1).toCompletableFuture().join().remaining())
                .isEqualTo(96);
    }

    @Test
    void aPeekAtAKeyWithoutCountersShowsFullLimitsAndStoresNothing() {
        Grid grid = grids.newGrid();
        List<RateLimit> limits = List.of(RateLimit.tokenBucket(10, Duration.ofSeconds(1), 20),
                RateLimit.slidingWindow(1000, Duration.ofDays(1)));

        RateSnapshot snapshot = peek(grid, "never-seen", limits);

        assertThat(snapshot.exists()).isFalse();
        assertThat(snapshot.limits()).extracting(RateSnapshot.Limit::remaining).containsExactly(20L, 1000L);
        assertThat(counters(grid).containsKey("never-seen")).isFalse();
    }

    @Test
    void aPeekAtCountersKeptForOtherLimitsShowsThemAsTheNextDecisionWouldResetThem() {
        Grid grid = grids.newGrid();
        assertThat(admitted(grid, "k")).isTrue();
        List<RateLimit> two = List.of(RateLimit.tokenBucket(5, Duration.ofSeconds(1), 5),
                RateLimit.slidingWindow(50, Duration.ofMinutes(1)));

        RateSnapshot snapshot = peek(grid, "k", two);

        assertThat(snapshot.exists()).isFalse();
        assertThat(snapshot.limits()).extracting(RateSnapshot.Limit::remaining).containsExactly(5L, 50L);
        assertThat(peek(grid, "k", HUNDRED).limits().get(0).remaining()).isEqualTo(99);
    }

    @Test
    void aPeekNeitherWritesTheCountersNorMovesTheirExpiry() {
        Grid grid = grids.newGrid();
        assertThat(admitted(grid, "k")).isTrue();
        EntryView<String, RateLimitState> before = Objects.requireNonNull(counters(grid).getEntryView("k"));

        peek(grid, "k", HUNDRED);
        peek(grid, "k", HUNDRED);

        EntryView<String, RateLimitState> after = counters(grid).getEntryView("k");
        assertThat(after.getVersion()).isEqualTo(before.getVersion());
        assertThat(after.getExpirationTime()).isEqualTo(before.getExpirationTime());
        assertThat(after.getLastUpdateTime()).isEqualTo(before.getLastUpdateTime());
    }

    private static IMap<String, RateLimitState> counters(Grid grid) {
        return ((HazelcastGrid) grid).hazelcast().getMap(HazelcastRateLimiter.COUNTERS);
    }
}
