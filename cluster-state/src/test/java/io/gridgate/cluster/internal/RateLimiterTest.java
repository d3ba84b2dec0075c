package io.gridgate.cluster.internal;

import io.gridgate.cluster.Grid;
import io.gridgate.cluster.RateLimiter;
import io.gridgate.cluster.ratelimit.RateLimit;
import io.gridgate.cluster.testing.TestGrids;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        Grid owner = nodes.stream().filter(node -> ((HazelcastGrid) node).hazelcast().getPartitionService()
                .getPartition(key).getOwner().localMember()).findFirst().orElseThrow();

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
}
