package io.gridgate.node.balancer;

import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * One instance a balancer may pick: its id, weight, zone, the target object, and a live count of
 * requests in flight to it from this node.
 *
 * @param id unique within a candidate set; consistent hashing places the instance by it
 * @param weight relative share of traffic, at least 1; ignored by round robin
 * @param zone the failure zone it runs in, or {@code null} when unknown
 * @param target what the caller proxies to once this candidate is picked
 * @param inFlight read on every least-request pick, so it must be cheap (an atomic counter)
 */
public record Candidate<T>(String id, int weight, String zone, T target, IntSupplier inFlight) {

    public Candidate {
        Objects.requireNonNull(id, "id");
        if (weight < 1) {
            throw new IllegalArgumentException("weight: %s (expected: >= 1)".formatted(weight));
        }
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(inFlight, "inFlight");
    }

    @Override
    public String toString() {
        return id + " (weight " + weight + (zone == null ? "" : ", zone " + zone) + ")";
    }
}
