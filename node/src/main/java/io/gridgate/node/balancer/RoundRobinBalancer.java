package io.gridgate.node.balancer;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Each candidate in turn; one shared counter, so concurrent picks still split exactly evenly. */
final class RoundRobinBalancer<T> implements LoadBalancer<T> {

    private final List<Candidate<T>> candidates;
    // A long never wraps in practice; an int would, and 2^32 is rarely a multiple of the set's size.
    private final AtomicLong next;

    RoundRobinBalancer(List<Candidate<T>> candidates, long start) {
        this.candidates = candidates;
        this.next = new AtomicLong(start);
    }

    @Override
    public Candidate<T> pick(String hashKey) {
        return candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
    }

    @Override
    public List<Candidate<T>> candidates() {
        return candidates;
    }
}
