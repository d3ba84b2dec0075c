package io.gridgate.node.balancer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.gridgate.node.balancer.TestCandidates.candidate;
import static io.gridgate.node.balancer.TestCandidates.countPicks;
import static io.gridgate.node.balancer.TestCandidates.named;
import static io.gridgate.node.balancer.TestCandidates.weighted;
import static org.assertj.core.api.Assertions.assertThat;

class ConsistentHashBalancerTest {

    private static final List<String> KEYS = IntStream.range(0, 10_000).mapToObj(i -> "session-" + i).toList();
    private static final List<Candidate<String>> FIVE = named("a", "b", "c", "d", "e");

    @Test
    void sendsTheSameKeyToTheSameCandidateWhateverTheListOrder() {
        List<Candidate<String>> reversed = new ArrayList<>(FIVE);
        Collections.reverse(reversed);

        Map<String, String> placement = placement(LoadBalancers.consistentHash(FIVE));

        assertThat(placement(LoadBalancers.consistentHash(reversed))).isEqualTo(placement);
        assertThat(placement(LoadBalancers.consistentHash(FIVE))).isEqualTo(placement);
    }

    @Test
    void givesEachOfFiveCandidatesBetweenTenAndThirtyPercentOfTheKeys() {
        Map<String, Long> keysPerCandidate = placement(LoadBalancers.consistentHash(FIVE)).values().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));

        assertThat(keysPerCandidate).containsOnlyKeys("a", "b", "c", "d", "e");
        keysPerCandidate.forEach((id, keys) -> assertThat(keys).as(id).isBetween(1_000L, 3_000L));
    }

    @Test
    void movesOnlyTheKeysOfTheCandidateThatLeaves() {
        Map<String, String> before = placement(LoadBalancers.consistentHash(FIVE));
        Map<String, String> after = placement(LoadBalancers.consistentHash(named("a", "b", "d", "e")));

        List<String> moved = KEYS.stream().filter(key -> !before.get(key).equals(after.get(key))).toList();

        assertThat(moved).allMatch(key -> before.get(key).equals("c"));
        assertThat(moved).hasSize((int) before.values().stream().filter("c"::equals).count());
        assertThat(moved.size()).isLessThanOrEqualTo(2_500);
    }

    @Test
    void movesOnlyKeysToTheCandidateThatJoins() {
        Map<String, String> before = placement(LoadBalancers.consistentHash(FIVE));
        Map<String, String> after = placement(LoadBalancers.consistentHash(named("a", "b", "c", "d", "e", "f")));

        List<String> moved = KEYS.stream().filter(key -> !before.get(key).equals(after.get(key))).toList();

        assertThat(moved).allMatch(key -> after.get(key).equals("f"));
        assertThat(moved.size()).isBetween(500, 2_500);
    }

    @Test
    void givesAHeavierCandidateProportionallyMoreKeys() {
        Map<String, String> placement = placement(LoadBalancers.consistentHash(List.of(weighted("heavy", 3), weighted("light", 1))));

        long heavy = placement.values().stream().filter("heavy"::equals).count();

        assertThat(heavy).isBetween(6_500L, 8_500L);
    }

    @Test
    void balancesRequestsWithoutAKeyRoundRobin() {
        assertThat(countPicks(LoadBalancers.consistentHash(FIVE), 5_000)).containsExactlyInAnyOrderEntriesOf(
                Map.of("a", 1000, "b", 1000, "c", 1000, "d", 1000, "e", 1000));
    }

    @Test
    void scalesAHugeRingDownWhileLeavingEveryCandidatePointsOnIt() {
        List<Candidate<String>> many = IntStream.range(0, 2_000).mapToObj(i -> candidate("instance-" + i)).toList();

        ConsistentHashBalancer.Ring ring = ConsistentHashBalancer.Ring.of(many);

        assertThat(ring.points().length).isLessThanOrEqualTo(ConsistentHashBalancer.MAX_POINTS);
        assertThat(Arrays.stream(ring.owners()).distinct().count()).isEqualTo(2_000);
        assertThat(ring.points()).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void wrapsKeysPastTheLastPointToTheFirst() {
        ConsistentHashBalancer.Ring ring = ConsistentHashBalancer.Ring.of(FIVE);
        long[] points = ring.points();

        assertThat(ring.ownerOf(Long.MAX_VALUE)).isEqualTo(ring.owners()[0]);
        assertThat(ring.ownerOf(points[points.length - 1])).isEqualTo(ring.owners()[points.length - 1]);
        assertThat(ring.ownerOf(points[0] + 1)).isEqualTo(ring.owners()[1]);
    }

    private static Map<String, String> placement(LoadBalancer<String> balancer) {
        return KEYS.stream().collect(Collectors.toMap(Function.identity(), key -> balancer.pick(key).id()));
    }
}
