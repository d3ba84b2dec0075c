package io.gridgate.node.balancer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

import static io.gridgate.node.balancer.TestCandidates.countPicks;
import static io.gridgate.node.balancer.TestCandidates.named;
import static io.gridgate.node.balancer.TestCandidates.sequence;
import static io.gridgate.node.balancer.TestCandidates.weighted;
import static org.assertj.core.api.Assertions.assertThat;

class RoundRobinBalancerTest {

    @Test
    void cyclesThroughAllCandidatesEvenly() {
        LoadBalancer<String> balancer = LoadBalancers.roundRobin(named("a", "b", "c"));

        assertThat(countPicks(balancer, 3000)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1000, "b", 1000, "c", 1000));
    }

    @Test
    void takesCandidatesInListOrderFromWhereverItStarts() {
        String picks = sequence(LoadBalancers.roundRobin(named("a", "b", "c")), 9);

        assertThat("abcabcabcabc").contains(picks);
    }

    @Test
    void ignoresWeights() {
        LoadBalancer<String> balancer = LoadBalancers.roundRobin(List.of(weighted("a", 5), weighted("b", 1)));

        assertThat(countPicks(balancer, 1000)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 500, "b", 500));
    }

    @Test
    void fourThreadsPickingAtOnceStillSplitExactlyEvenly() throws InterruptedException {
        LoadBalancer<String> balancer = LoadBalancers.roundRobin(named("a", "b", "c", "d"));
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < 10_000; i++) {
                    counts.computeIfAbsent(balancer.pick(null).id(), id -> new LongAdder()).increment();
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(counts).hasSize(4);
        counts.forEach((id, count) -> assertThat(count.sum()).as(id).isEqualTo(10_000));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
