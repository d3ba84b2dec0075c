package io.gridgate.node.balancer;

import java.util.List;

/**
 * Picks one of a fixed, non-empty set of candidates for each request; thread-safe, since many I/O
 * threads call {@link #pick} concurrently.
 */
public interface LoadBalancer<T> {

    /**
     * @param hashKey the request's consistent-hashing key, or {@code null} when the request has none
     *                (strategies that do not hash ignore it)
     */
    Candidate<T> pick(String hashKey);

    /** The set this balancer was built for, in the order it was given. */
    List<Candidate<T>> candidates();
}
