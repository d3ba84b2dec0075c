package io.gridgate.node.balancer;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gridgate.node.balancer.TestCandidates.candidate;
import static io.gridgate.node.balancer.TestCandidates.countPicks;
import static io.gridgate.node.balancer.TestCandidates.withInFlight;
import static org.assertj.core.api.Assertions.assertThat;

class LeastRequestBalancerTest {

    @Test
    void neverPicksTheBusyCandidateSinceItIsAlwaysComparedWithAnIdleOne() {
        LoadBalancer<String> balancer = LoadBalancers.leastRequest(List.of(
                withInFlight("busy", 1, () -> 10), withInFlight("a", 1, () -> 0), withInFlight("b", 1, () -> 0)));

        Map<String, Integer> counts = countPicks(balancer, 10_000);

        assertThat(counts).doesNotContainKey("busy");
        // Binomial(10,000, 1/2): a standard deviation of 50, so 4,000..6,000 is twenty of them.
        assertThat(counts.get("a")).isBetween(4_000, 6_000);
    }

    @Test
    void followsTheLiveInFlightCountsFromPickToPick() {
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        LoadBalancer<String> balancer = LoadBalancers.leastRequest(List.of(
                withInFlight("a", 1, a::get), withInFlight("b", 1, b::get)));

        a.set(5);
        assertThat(countPicks(balancer, 100)).containsOnlyKeys("b");
        b.set(6);
        assertThat(countPicks(balancer, 100)).containsOnlyKeys("a");
    }

    @Test
    void breaksATieInFlightInFavourOfTheHeavierCandidate() {
        LoadBalancer<String> balancer = LoadBalancers.leastRequest(List.of(
                withInFlight("light", 1, () -> 3), withInFlight("heavy", 2, () -> 3)));

        assertThat(countPicks(balancer, 1_000)).containsOnlyKeys("heavy");
    }

    @Test
    void breaksAFullTieEitherWay() {
        LoadBalancer<String> balancer = LoadBalancers.leastRequest(List.of(candidate("a"), candidate("b")));

        assertThat(countPicks(balancer, 10_000).get("a")).isBetween(4_000, 6_000);
    }

    @Test
    void returnsTheOnlyCandidateWhenThereIsOne() {
        LoadBalancer<String> balancer = LoadBalancers.leastRequest(List.of(candidate("only")));

        assertThat(countPicks(balancer, 10)).containsOnlyKeys("only");
    }
}
