package io.gridgate.node.balancer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Smooth weighted round robin from a table built once: the cycle nginx's algorithm produces,
 * replayed by one shared counter, so a pick is an array read. Weights are first divided by their
 * gcd, which changes nothing but the table's length. If they still sum to more than
 * {@value #MAX_CYCLE} (over 10,000 instances of weight 100), they are scaled down to sum to about
 * that: each share is then off by up to half a pick per cycle, and a candidate whose scaled weight
 * would round to 0 keeps 1, so is over-served.
 */
final class WeightedRoundRobinBalancer<T> implements LoadBalancer<T> {

    /** 4 MiB of table at most; a few thousand instances of weight up to 100 fit exactly. */
    static final int MAX_CYCLE = 1 << 20;

    private final List<Candidate<T>> candidates;
    private final int[] schedule;
    private final AtomicLong next;

    WeightedRoundRobinBalancer(List<Candidate<T>> candidates, int[] schedule, long start) {
        this.candidates = candidates;
        this.schedule = schedule;
        this.next = new AtomicLong(start);
    }

    @Override
    public Candidate<T> pick(String hashKey) {
        return candidates.get(schedule[Math.floorMod(next.getAndIncrement(), schedule.length)]);
    }

    @Override
    public List<Candidate<T>> candidates() {
        return candidates;
    }

    static int[] weights(List<? extends Candidate<?>> candidates) {
        return candidates.stream().mapToInt(Candidate::weight).toArray();
    }

    /** One cycle of candidate indexes, in the order smooth weighted round robin picks them. */
    static int[] schedule(int[] weights) {
        return smoothCycle(reduced(weights));
    }

    /** The weights divided by their gcd, then, if they still sum to more than {@link #MAX_CYCLE}, scaled down. */
    static int[] reduced(int[] weights) {
        int[] exact = divideByGcd(weights);
        long sum = sum(exact);
        if (sum <= MAX_CYCLE) {
            return exact;
        }
        double scale = (double) MAX_CYCLE / sum;
        int[] scaled = new int[exact.length];
        for (int i = 0; i < exact.length; i++) {
            scaled[i] = (int) Math.max(1, Math.round(exact[i] * scale));
        }
        return divideByGcd(scaled);
    }

    /**
     * nginx's smooth weighted round robin over one cycle: each step every candidate's current weight
     * grows by its weight, the largest (lowest index on a tie) is picked and loses the total. Run
     * naively that costs cycle x candidates. But candidates of equal weight gain the same each step,
     * so among them the least picked (lowest index first) is always ahead: they take turns in index
     * order. Grouping them, a step costs one comparison per distinct weight (at most 100 from config).
     */
    static int[] smoothCycle(int[] weights) {
        int cycle = Math.toIntExact(sum(weights));
        List<Group> groups = groupsByWeight(weights);
        int[] sequence = new int[cycle];
        for (int step = 0; step < cycle; step++) {
            long rounds = step + 1L;
            Group best = null;
            long bestCurrent = 0;
            int bestIndex = 0;
            for (Group group : groups) {
                // The group's next member has been picked picks / size times: current = rounds * w - cycle * that.
                long current = rounds * group.weight - (long) cycle * (group.picks / group.members.length);
                int index = group.members[group.picks % group.members.length];
                if (best == null || current > bestCurrent || (current == bestCurrent && index < bestIndex)) {
                    best = group;
                    bestCurrent = current;
                    bestIndex = index;
                }
            }
            best.picks++;
            sequence[step] = bestIndex;
        }
        return sequence;
    }

    private static List<Group> groupsByWeight(int[] weights) {
        Map<Integer, List<Integer>> byWeight = new TreeMap<>();
        for (int i = 0; i < weights.length; i++) {
            byWeight.computeIfAbsent(weights[i], w -> new ArrayList<>()).add(i);
        }
        List<Group> groups = new ArrayList<>();
        byWeight.forEach((weight, members) ->
                groups.add(new Group(weight, members.stream().mapToInt(Integer::intValue).toArray())));
        return groups;
    }

    private static int[] divideByGcd(int[] weights) {
        int gcd = 0;
        for (int w : weights) {
            gcd = gcd(gcd, w);
        }
        int[] divided = new int[weights.length];
        for (int i = 0; i < weights.length; i++) {
            divided[i] = weights[i] / gcd;
        }
        return divided;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static long sum(int[] weights) {
        long sum = 0;
        for (int w : weights) {
            sum += w;
        }
        return sum;
    }

    /** Candidates of one weight, taken in index order; {@code picks} counts the group's picks so far. */
    private static final class Group {
        final int weight;
        final int[] members;
        int picks;

        Group(int weight, int[] members) {
            this.weight = weight;
            this.members = members;
        }
    }
}
