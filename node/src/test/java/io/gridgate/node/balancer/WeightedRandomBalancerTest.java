package io.gridgate.node.balancer;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gridgate.node.balancer.TestCandidates.countPicks;
import static io.gridgate.node.balancer.TestCandidates.named;
import static io.gridgate.node.balancer.TestCandidates.weighted;
import static org.assertj.core.api.Assertions.assertThat;

class WeightedRandomBalancerTest {

    @Test
    void picksEveryCandidateAboutEquallyWhenWeightsAreEqual() {
        Map<String, Integer> counts = countPicks(LoadBalancers.random(named("a", "b", "c", "d")), 40_000);

        // Each count is Binomial(40,000, 1/4): a standard deviation of about 87, so ±2,000 is over twenty.
        assertThat(counts).containsOnlyKeys("a", "b", "c", "d");
        counts.values().forEach(count -> assertThat(count).isBetween(8_000, 12_000));
    }

    @Test
    void picksInProportionToWeight() {
        LoadBalancer<String> balancer = LoadBalancers.random(List.of(weighted("a", 3), weighted("b", 1), weighted("c", 4)));

        Map<String, Integer> counts = countPicks(balancer, 80_000);

        // Expected 30,000, 10,000, 40,000; standard deviations under 150, so ±3,000 is over twenty.
        assertThat(counts.get("a")).isBetween(27_000, 33_000);
        assertThat(counts.get("b")).isBetween(7_000, 13_000);
        assertThat(counts.get("c")).isBetween(37_000, 43_000);
    }

    @Test
    void mapsEachPointOfTheWeightLineToTheCandidateWhoseShareHoldsIt() {
        long[] ends = {3, 4, 8}; // weights 3, 1, 4

        assertThat(List.of(0L, 1L, 2L, 3L, 4L, 7L).stream().map(p -> WeightedRandomBalancer.indexOf(ends, p)))
                .containsExactly(0, 0, 0, 1, 2, 2);
    }
}
