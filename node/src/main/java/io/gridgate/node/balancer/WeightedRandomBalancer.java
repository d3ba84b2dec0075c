package io.gridgate.node.balancer;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A random candidate in proportion to weight: one random draw and a binary search over cumulative weights. */
final class WeightedRandomBalancer<T> implements LoadBalancer<T> {

    private final List<Candidate<T>> candidates;
    /** {@code ends[i]} is the sum of the weights of candidates 0..i; null when all weights are equal. */
    private final long[] ends;

    WeightedRandomBalancer(List<Candidate<T>> candidates) {
        this.candidates = candidates;
        this.ends = sameWeight(candidates) ? null : cumulativeWeights(candidates);
    }

    @Override
    public Candidate<T> pick(String hashKey) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (ends == null) {
            return candidates.get(random.nextInt(candidates.size()));
        }
        return candidates.get(indexOf(ends, random.nextLong(ends[ends.length - 1])));
    }

    /** The candidate whose share {@code [ends[i-1], ends[i])} holds {@code point}. */
    static int indexOf(long[] ends, long point) {
        int i = Arrays.binarySearch(ends, point);
        // Found: point is the first value of the next share. Not found: the insertion point is the share.
        return i >= 0 ? i + 1 : -i - 1;
    }

    static long[] cumulativeWeights(List<? extends Candidate<?>> candidates) {
        long[] ends = new long[candidates.size()];
        long sum = 0;
        for (int i = 0; i < ends.length; i++) {
            sum += candidates.get(i).weight();
            ends[i] = sum;
        }
        return ends;
    }

    private static boolean sameWeight(List<? extends Candidate<?>> candidates) {
        int first = candidates.get(0).weight();
        return candidates.stream().allMatch(c -> c.weight() == first);
    }

    @Override
    public List<Candidate<T>> candidates() {
        return candidates;
    }
}
