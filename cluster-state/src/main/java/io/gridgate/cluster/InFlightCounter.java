package io.gridgate.cluster;

import java.util.concurrent.CompletionStage;

/**
 * Cluster-wide counts of requests in flight per key, kept per member so that a member that dies
 * takes its requests with it: the survivors drop its share as soon as they see it leave.
 */
public interface InFlightCounter {

    /** Counts one more request for the key unless {@code max} are already in flight; true when counted. */
    CompletionStage<Boolean> tryEnter(String key, int max);

    /** Counts one request of this member less. */
    CompletionStage<Void> release(String key);
}
