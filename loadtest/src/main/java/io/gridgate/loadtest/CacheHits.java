package io.gridgate.loadtest;

import java.util.List;

/**
 * Whether the cache scenario's {@code cached} runs measured cache hits: the requests that put the response in the
 * cache (one at a time until one is a hit), a sample before the rounds and one after them, and the backend's request
 * count over every measured run of the route (warm-up included), which must stay flat.
 *
 * @param warmUp the first requests to the route: the one miss, expected, and the hit that followed it
 * @param before a sample after the warm-up, before priming and the rounds
 * @param after a sample after the last round
 */
record CacheHits(CacheSample warmUp, CacheSample before, CacheSample after) {

    /** The target whose runs must be hits. */
    static final String TARGET = "cached";

    /** Whether the samples and every run of {@link #TARGET} in {@code runs} say the measured requests were hits. */
    boolean verified(List<Measurement> runs) {
        return before.verdict() != CacheSample.Verdict.NOT_HITS && after.verdict() != CacheSample.Verdict.NOT_HITS
                && missedRuns(runs).isEmpty();
    }

    /** Whether every sampled answer said {@code X-Cache: HIT} (the figures can be verified by the backend without). */
    boolean labelled() {
        return before.verdict() == CacheSample.Verdict.HITS && after.verdict() == CacheSample.Verdict.HITS;
    }

    /**
     * The runs of {@link #TARGET} in which more than {@link CacheSample#MAX_BACKEND_SHARE} of the responses came from
     * the backend (or whose backend count is missing): their throughput is not a cache-hit figure.
     */
    static List<Measurement> missedRuns(List<Measurement> runs) {
        return runs.stream()
                .filter(m -> m.target().equals(TARGET))
                .filter(m -> !(m.backendRequests() <= CacheSample.MAX_BACKEND_SHARE * m.result().completed()))
                .toList();
    }

    /** Backend requests and responses over all runs of {@link #TARGET} in {@code runs}. */
    static Tally tally(List<Measurement> runs) {
        long backend = 0;
        long responses = 0;
        for (Measurement m : runs) {
            if (m.target().equals(TARGET)) {
                backend += Double.isFinite(m.backendRequests()) ? (long) m.backendRequests() : 0;
                responses += m.result().completed();
            }
        }
        return new Tally(backend, responses);
    }

    /** Requests that reached the backend, out of the responses the generator received. */
    record Tally(long backendRequests, long responses) {
    }
}
