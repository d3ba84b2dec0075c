package io.gridgate.cluster;

import io.gridgate.cluster.ratelimit.RateDecision;
import io.gridgate.cluster.ratelimit.RateLimit;
import io.gridgate.cluster.ratelimit.RateSnapshot;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Cluster-wide rate-limit counters. Each key's counters live on its partition owner, which decides
 * atomically with its own clock; they have a backup on another member and expire once idle long
 * enough to be full again.
 */
public interface RateLimiter {

    /** Decides one request exactly: admitted cluster-wide no more than the limits allow. */
    CompletionStage<RateDecision> tryAcquire(String key, List<RateLimit> limits, int permits);

    /**
     * Takes up to {@code wanted} permits at once, for a node to spend locally; completes with how
     * many were granted (possibly 0) and the decision for the last of them.
     */
    CompletionStage<Lease> lease(String key, List<RateLimit> limits, int wanted);

    /**
     * Reads a key's counters on its owner, as of the owner's clock now, charging nothing and writing
     * nothing: neither the count nor the key's expiry changes. For operators, not for admission.
     */
    CompletionStage<RateSnapshot> peek(String key, List<RateLimit> limits);

    /** Permits handed to one node, charged to the key's counters when granted. */
    record Lease(int granted, RateDecision decision) implements java.io.Serializable {
    }
}
