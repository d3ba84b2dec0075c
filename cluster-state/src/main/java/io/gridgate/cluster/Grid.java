package io.gridgate.cluster;

import io.gridgate.cluster.internal.HazelcastGrid;

import java.util.List;

/** This node's membership in the Gridgate cluster, and the entry point to the shared state it holds. */
public interface Grid extends AutoCloseable {

    /** Starts a member and blocks until it has joined its cluster (or formed one alone). */
    static Grid start(GridSettings settings) {
        return HazelcastGrid.start(settings);
    }

    /** The service registry this member shares with the others. */
    ServiceRegistry registry();

    /** Cluster-wide counts of requests in flight. */
    InFlightCounter inFlight();

    /** Cluster-wide rate-limit counters. */
    RateLimiter rateLimiter();

    /** Consumers' API keys, by digest. */
    ApiKeyStore apiKeys();

    /** Circuit-breaker trips shared across the cluster. */
    BreakerBoard breakers();

    /** Responses cached for the whole cluster, with purges and single flight. */
    ResponseCache cache();

    /** The cluster's shared configuration and its history. */
    ConfigStore config();

    /**
     * Reports the time each rate-limit, in-flight, API-key and cache operation takes, from now on;
     * a cache read its near cache answers is not a grid operation and is not reported.
     */
    void observeOperations(GridOperationObserver observer);

    /** True while this member is part of a running cluster. */
    boolean isJoined();

    /** The number of members this member currently sees, itself included. */
    int memberCount();

    /**
     * Calls {@code listener} each time a member joins or leaves the cluster this member sees, on a
     * thread of the grid's; read {@link #memberCount} there.
     *
     * @return stops the calls
     */
    AutoCloseable onMembershipChange(Runnable listener);

    /**
     * Calls {@code listener} each time this member's side of a network split has merged back into the
     * other side, on a thread of the grid's. The side with fewer members gives up the entries it holds
     * where the other side has them, without an entry event, so whatever follows an entry must read it
     * again there.
     *
     * @return stops the calls
     */
    AutoCloseable onMerge(Runnable listener);

    /** The members this member currently sees, oldest first, itself included. */
    java.util.List<GridMember> members();

    /** A stable identifier of this member, unique in the cluster. */
    String localMemberId();

    /** Leaves the cluster gracefully, handing this member's partitions to the others first. */
    @Override
    void close();
}
