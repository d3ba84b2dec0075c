package io.gridgate.node.balancer;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Power of two choices: the less busy of two distinct random candidates. Sampling two rather than
 * scanning all keeps a pick O(1) and avoids every node herding onto the same idle instance.
 */
final class LeastRequestBalancer<T> implements LoadBalancer<T> {

    private final List<Candidate<T>> candidates;

    LeastRequestBalancer(List<Candidate<T>> candidates) {
        this.candidates = candidates;
    }

    @Override
    public Candidate<T> pick(String hashKey) {
        int n = candidates.size();
        if (n == 1) {
            return candidates.get(0);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int first = random.nextInt(n);
        int second = random.nextInt(n - 1);
        if (second >= first) {
            second++; // distinct from first, and still uniform over the others
        }
        return lessBusy(candidates.get(first), candidates.get(second));
    }

    /** Fewer in flight wins, then the higher weight, then {@code first}, which is itself a random sample. */
    static <T> Candidate<T> lessBusy(Candidate<T> first, Candidate<T> second) {
        int a = first.inFlight().getAsInt();
        int b = second.inFlight().getAsInt();
        if (a != b) {
            return a < b ? first : second;
        }
        return second.weight() > first.weight() ? second : first;
    }

    @Override
    public List<Candidate<T>> candidates() {
        return candidates;
    }
}
