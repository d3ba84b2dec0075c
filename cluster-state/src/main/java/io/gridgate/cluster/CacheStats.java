package io.gridgate.cluster;

/**
 * This member's share of the response cache, for metrics.
 *
 * @param entries        responses whose primary this member holds
 * @param bytes          the heap those entries cost
 * @param evictions      entries this member evicted for the heap bound, since start
 * @param nearEntries    responses in this member's near cache
 * @param nearEvictions  entries the near cache evicted for its entry bound, since start
 * @param nearHits       reads the near cache answered, since start
 * @param nearMisses     reads that went past the near cache, since start
 */
public record CacheStats(long entries, long bytes, long evictions, long nearEntries, long nearEvictions, long nearHits,
                         long nearMisses) {
}
