package io.gridgate.node.balancer;

import io.gridgate.node.config.LoadBalancerConfig;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Builds balancers for candidate sets. */
public final class LoadBalancers {

    private LoadBalancers() {
    }

    /** The balancer a route's strategy names, for a non-empty set of candidates with unique ids. */
    public static <T> LoadBalancer<T> create(LoadBalancerConfig.Strategy strategy, List<Candidate<T>> candidates) {
        Objects.requireNonNull(strategy, "strategy");
        return switch (strategy) {
            case ROUND_ROBIN -> roundRobin(candidates);
            case WEIGHTED_ROUND_ROBIN -> weightedRoundRobin(candidates);
            case LEAST_REQUEST -> leastRequest(candidates);
            case RANDOM -> random(candidates);
            case CONSISTENT_HASH -> consistentHash(candidates);
        };
    }

    /**
     * Each candidate in turn, weights ignored. Starts at a random position, so that nodes rebuilding
     * their balancers at the same moment do not all send their next request to the first candidate.
     */
    public static <T> LoadBalancer<T> roundRobin(List<Candidate<T>> c) {
        List<Candidate<T>> candidates = checked(c);
        return new RoundRobinBalancer<>(candidates, randomStart(candidates.size()));
    }

    /**
     * Round robin in proportion to weight, interleaved as nginx's smooth weighted round robin does
     * (weights 5, 1, 1 give {@code a a b a c a a}); exact over each cycle of {@code sum(weights)}
     * picks, except for very large sums, which are scaled down (see {@link WeightedRoundRobinBalancer}).
     * Starts at a random point of the cycle, like {@link #roundRobin}.
     */
    public static <T> LoadBalancer<T> weightedRoundRobin(List<Candidate<T>> c) {
        List<Candidate<T>> candidates = checked(c);
        int[] schedule = WeightedRoundRobinBalancer.schedule(WeightedRoundRobinBalancer.weights(candidates));
        return new WeightedRoundRobinBalancer<>(candidates, schedule, randomStart(schedule.length));
    }

    /**
     * Power of two choices: of two distinct random candidates, the one with fewer requests in flight
     * from this node; on a tie the heavier, then either.
     */
    public static <T> LoadBalancer<T> leastRequest(List<Candidate<T>> c) {
        return new LeastRequestBalancer<>(checked(c));
    }

    /**
     * A random candidate, in proportion to weight (uniform when the weights are equal). Weighted
     * rather than uniform so that {@code weight} means the same under every strategy that reads it.
     */
    public static <T> LoadBalancer<T> random(List<Candidate<T>> c) {
        return new WeightedRandomBalancer<>(checked(c));
    }

    /**
     * A hash ring: the same key goes to the same candidate for the same set, whatever the list order,
     * and when one of N candidates leaves only its own keys (about 1/N) move (nearly so once the ring
     * is large enough to be scaled down: thousands of instances). Requests without a key are
     * balanced round robin.
     */
    public static <T> LoadBalancer<T> consistentHash(List<Candidate<T>> c) {
        List<Candidate<T>> candidates = checked(c);
        return new ConsistentHashBalancer<>(candidates,
                new RoundRobinBalancer<>(candidates, randomStart(candidates.size())));
    }

    /**
     * Zone preference: the candidates in {@code zone} when there are any, else all of them (zone
     * {@code null} or blank: all). Returns the given list itself when nothing is filtered out.
     */
    public static <T> List<Candidate<T>> preferZone(List<Candidate<T>> candidates, String zone) {
        Objects.requireNonNull(candidates, "candidates");
        if (zone == null || zone.isBlank()) {
            return candidates;
        }
        List<Candidate<T>> local = candidates.stream().filter(c -> zone.equals(c.zone())).toList();
        return local.isEmpty() ? candidates : local;
    }

    private static <T> List<Candidate<T>> checked(List<Candidate<T>> candidates) {
        Objects.requireNonNull(candidates, "candidates");
        List<Candidate<T>> copy = List.copyOf(candidates);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("candidates: [] (expected: at least one)");
        }
        Set<String> ids = new HashSet<>();
        for (Candidate<T> candidate : copy) {
            if (!ids.add(candidate.id())) {
                throw new IllegalArgumentException(
                        "candidates: id %s appears twice (expected: unique ids)".formatted(candidate.id()));
            }
        }
        return copy;
    }

    private static int randomStart(int cycle) {
        return ThreadLocalRandom.current().nextInt(cycle);
    }
}
