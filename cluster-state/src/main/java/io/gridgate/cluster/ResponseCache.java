package io.gridgate.cluster;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The cluster-wide response cache: responses stored through any node are found through every node,
 * and a purge through any node takes effect on every node within a second. Whether a response may be
 * cached, and whether a stale one may be served, is the caller's decision.
 */
public interface ResponseCache {

    /**
     * The response stored under the key, unless there is none or it is past its
     * {@code staleUntilMillis} on this member's clock. Fresh or stale is for the caller to judge by
     * {@code expiresAtMillis}.
     */
    CompletionStage<Optional<CachedResponse>> get(String key);

    /**
     * Stores the response until its {@code staleUntilMillis} (rounded up to whole seconds), replacing
     * any other; a response already past it is not stored.
     */
    CompletionStage<Void> put(String key, CachedResponse response);

    /** Removes the response under the key; completes with how many were removed (0 or 1). */
    CompletionStage<Integer> purgeKey(String key);

    /**
     * Removes every response for the resource (a path and its sorted query, as in
     * {@link CachedResponse#resource()}), on any host, in every variant; completes with how many.
     */
    CompletionStage<Integer> purgeResource(String resource);

    /** Removes every response whose path starts with the prefix; completes with how many. */
    CompletionStage<Integer> purgePrefix(String pathPrefix);

    /** Removes every response carrying the tag; completes with how many. */
    CompletionStage<Integer> purgeTag(String tag);

    /** This member's share of the cache and its near cache's counts, read locally without a grid call. */
    CacheStats stats();

    /**
     * How many purges this member has heard of, cluster-wide. A response fetched while it changed
     * may predate a purge: compare it before and after the fetch, and store only if it held still.
     * Every purge raises it on every member before removing anything.
     */
    long purgeGeneration();

    /**
     * Claims the right to fetch the response for the key, so concurrent misses across the cluster
     * make one upstream request: true for the first owner, and again for the same owner, until it
     * {@linkplain #release releases} the claim or the lease runs out.
     */
    CompletionStage<Boolean> tryClaim(String key, String owner, Duration lease);

    /** Gives up the owner's claim on the key; does nothing if the claim is someone else's. */
    CompletionStage<Void> release(String key, String owner);
}
