package io.gridgate.node.balancer;

import io.gridgate.node.config.LoadBalancerConfig.Strategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.gridgate.node.balancer.TestCandidates.candidate;
import static io.gridgate.node.balancer.TestCandidates.inZone;
import static io.gridgate.node.balancer.TestCandidates.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadBalancersTest {

    @Test
    void createsTheBalancerEachStrategyNames() {
        List<Candidate<String>> candidates = named("a", "b");

        assertThat(LoadBalancers.create(Strategy.ROUND_ROBIN, candidates)).isInstanceOf(RoundRobinBalancer.class);
        assertThat(LoadBalancers.create(Strategy.WEIGHTED_ROUND_ROBIN, candidates)).isInstanceOf(WeightedRoundRobinBalancer.class);
        assertThat(LoadBalancers.create(Strategy.LEAST_REQUEST, candidates)).isInstanceOf(LeastRequestBalancer.class);
        assertThat(LoadBalancers.create(Strategy.RANDOM, candidates)).isInstanceOf(WeightedRandomBalancer.class);
        assertThat(LoadBalancers.create(Strategy.CONSISTENT_HASH, candidates)).isInstanceOf(ConsistentHashBalancer.class);
    }

    @Test
    void everyStrategyPicksTheOnlyCandidateOfASetOfOne() {
        for (Strategy strategy : Strategy.values()) {
            LoadBalancer<String> balancer = LoadBalancers.create(strategy, named("only"));

            assertThat(balancer.pick("key").id()).as(strategy.name()).isEqualTo("only");
            assertThat(balancer.pick(null).id()).as(strategy.name()).isEqualTo("only");
        }
    }

    @Test
    void keepsItsOwnCopyOfTheCandidatesInTheGivenOrder() {
        List<Candidate<String>> candidates = new ArrayList<>(named("b", "a"));
        LoadBalancer<String> balancer = LoadBalancers.roundRobin(candidates);

        candidates.clear();

        assertThat(balancer.candidates()).extracting(Candidate::id).containsExactly("b", "a");
    }

    @Test
    void rejectsAnEmptyCandidateSet() {
        assertThatThrownBy(() -> LoadBalancers.roundRobin(List.<Candidate<String>>of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("candidates: [] (expected: at least one)");
    }

    @Test
    void rejectsTwoCandidatesWithOneId() {
        assertThatThrownBy(() -> LoadBalancers.consistentHash(named("a", "b", "a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("candidates: id a appears twice (expected: unique ids)");
    }

    @Test
    void rejectsACandidateWeighingLessThanOne() {
        assertThatThrownBy(() -> new Candidate<>("a", 0, null, "a", () -> 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight: 0 (expected: >= 1)");
    }

    @Test
    void prefersTheCandidatesInTheGivenZoneWhenThereAreAny() {
        List<Candidate<String>> candidates = List.of(inZone("a1", "eu-1a"), inZone("b1", "eu-1b"), inZone("a2", "eu-1a"), candidate("x"));

        assertThat(LoadBalancers.preferZone(candidates, "eu-1a")).extracting(Candidate::id).containsExactly("a1", "a2");
    }

    @Test
    void fallsBackToAllCandidatesWhenNoneIsInTheZone() {
        List<Candidate<String>> candidates = List.of(inZone("a1", "eu-1a"), candidate("x"));

        assertThat(LoadBalancers.preferZone(candidates, "eu-1c")).isSameAs(candidates);
    }

    @Test
    void prefersNothingWithoutAZone() {
        List<Candidate<String>> candidates = List.of(inZone("a1", "eu-1a"), candidate("x"));

        assertThat(LoadBalancers.preferZone(candidates, null)).isSameAs(candidates);
        assertThat(LoadBalancers.preferZone(candidates, " ")).isSameAs(candidates);
    }
}
