package io.gridgate.node.balancer;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static io.gridgate.node.balancer.TestCandidates.countPicks;
import static io.gridgate.node.balancer.TestCandidates.sequence;
import static io.gridgate.node.balancer.TestCandidates.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class WeightedRoundRobinBalancerTest {

    @Test
    void splitsThreeToOneExactlyOverFourThousandPicks() {
        LoadBalancer<String> balancer = LoadBalancers.weightedRoundRobin(List.of(weighted("a", 3), weighted("b", 1)));

        assertThat(countPicks(balancer, 4000)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 3000, "b", 1000));
    }

    @Test
    void interleavesFiveOneOneInNginxsSmoothOrder() {
        List<Candidate<String>> candidates = List.of(weighted("a", 5), weighted("b", 1), weighted("c", 1));
        int[] cycle = WeightedRoundRobinBalancer.schedule(WeightedRoundRobinBalancer.weights(candidates));
        LoadBalancer<String> fromTheStart = new WeightedRoundRobinBalancer<>(candidates, cycle, 0);

        assertThat(sequence(fromTheStart, 14)).isEqualTo("aabacaa" + "aabacaa");
    }

    @Test
    void neverRunsTheHeavierCandidateLongerThanItsShareForces() {
        LoadBalancer<String> balancer = LoadBalancers.weightedRoundRobin(List.of(weighted("a", 3), weighted("b", 1)));

        // Three picks in every four are a's, so runs of three are unavoidable; a burst would be longer.
        assertThat(longestRun(sequence(balancer, 4000), 'a')).isEqualTo(3);
    }

    @Test
    void buildsTheSameCycleAsNaiveSmoothWeightedRoundRobin() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int bound = random.nextBoolean() ? 4 : 100; // small weights repeat, so groups get several members
            int[] weights = IntStream.range(0, 1 + random.nextInt(12)).map(i -> 1 + random.nextInt(bound)).toArray();

            assertThat(WeightedRoundRobinBalancer.smoothCycle(weights)).as(Arrays.toString(weights))
                    .containsExactly(naiveSmoothCycle(weights));
        }
    }

    @Test
    void dividesWeightsByTheirGcdWithoutChangingTheOrder() {
        assertThat(WeightedRoundRobinBalancer.schedule(new int[] {50, 30, 20}))
                .containsExactly(0, 1, 2, 0, 0, 1, 0, 2, 1, 0);
    }

    @Test
    void givesEveryCandidateItsExactShareForAFewThousandInstancesOfWeightUpToAHundred() {
        int[] weights = IntStream.range(0, 3000).map(i -> 1 + i % 100).toArray();

        int[] cycle = WeightedRoundRobinBalancer.schedule(weights);

        assertThat(cycle).hasSize(Arrays.stream(weights).sum());
        assertThat(occurrences(cycle, weights.length)).containsExactly(weights);
    }

    @Test
    void scalesHugeWeightSumsDownToABoundedTableThatStillHoldsEveryone() {
        int[] weights = {1_000_000, 500_000, 1};

        int[] cycle = WeightedRoundRobinBalancer.schedule(weights);

        assertThat(cycle.length).isLessThanOrEqualTo(WeightedRoundRobinBalancer.MAX_CYCLE + weights.length);
        int[] counts = occurrences(cycle, weights.length);
        assertThat(counts[2]).isEqualTo(1);
        assertThat((double) counts[0] / counts[1]).isCloseTo(2.0, offset(0.001));
    }

    /** nginx's ngx_http_upstream_get_peer, one full cycle: add weights, pick the largest (first on a tie), subtract the total. */
    private static int[] naiveSmoothCycle(int[] weights) {
        int total = Arrays.stream(weights).sum();
        int[] current = new int[weights.length];
        int[] cycle = new int[total];
        for (int step = 0; step < total; step++) {
            int best = -1;
            for (int i = 0; i < weights.length; i++) {
                current[i] += weights[i];
                if (best == -1 || current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            cycle[step] = best;
        }
        return cycle;
    }

    private static int[] occurrences(int[] cycle, int candidates) {
        int[] counts = new int[candidates];
        for (int index : cycle) {
            counts[index]++;
        }
        return counts;
    }

    private static int longestRun(String picks, char id) {
        int longest = 0;
        int run = 0;
        for (char c : picks.toCharArray()) {
            run = c == id ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
