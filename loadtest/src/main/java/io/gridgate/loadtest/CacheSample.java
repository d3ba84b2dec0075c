package io.gridgate.loadtest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a few requests to a caching route saw, one after another: the {@code X-Cache} values of the answers, how many
 * carried {@code Age}, and how many requests reached the backend meanwhile (nothing else runs while a sample is taken,
 * so those are the route's misses).
 *
 * @param requests requests sent
 * @param failures requests without a 2xx answer (an error status, a refused or reset connection, a timeout)
 * @param xCache the answers' {@code X-Cache} values, upper-cased, with how many had each; {@code "(none)"} for none
 * @param withAge answers carrying an {@code Age} header
 * @param backendRequests requests the backend answered while the sample ran
 */
record CacheSample(int requests, int failures, Map<String, Integer> xCache, int withAge, long backendRequests) {

    /** At most this many backend requests per request sent still count as all hits (none, for a sample of 100). */
    static final double MAX_BACKEND_SHARE = 0.001;
    /** The {@code X-Cache} value of an answer without the header. */
    static final String NO_HEADER = "(none)";

    /** What a sample says about the route. */
    enum Verdict {
        /** Every answer said {@code X-Cache: HIT}, and none of the requests reached the backend. */
        HITS,
        /** None reached the backend, but not every answer said {@code X-Cache: HIT}: cached, labelled otherwise. */
        UNLABELLED_HITS,
        /** Requests reached the backend, or failed: not what a cache hit does. */
        NOT_HITS
    }

    CacheSample {
        // Sorted, so the report lists the values in one order on every run (Map.copyOf's order may differ by JVM).
        xCache = Collections.unmodifiableSortedMap(new TreeMap<>(xCache));
    }

    /** Both samples' requests as one sample. */
    CacheSample plus(CacheSample other) {
        Map<String, Integer> values = new TreeMap<>(xCache);
        other.xCache.forEach((value, count) -> values.merge(value, count, Integer::sum));
        return new CacheSample(requests + other.requests, failures + other.failures, values, withAge + other.withAge,
                backendRequests + other.backendRequests);
    }

    /** Answers that said {@code X-Cache: HIT}. */
    int hits() {
        return xCache.getOrDefault("HIT", 0);
    }

    Verdict verdict() {
        if (requests == 0 || failures > 0 || backendRequests > MAX_BACKEND_SHARE * requests) {
            return Verdict.NOT_HITS;
        }
        return hits() == requests ? Verdict.HITS : Verdict.UNLABELLED_HITS;
    }

    /** For example {@code "100 requests: X-Cache HIT 100, 100 with Age, 0 reached the backend"}. */
    String describe() {
        List<String> values = new ArrayList<>();
        new TreeMap<>(xCache).forEach((value, count) -> values.add(value + " " + count));
        return String.format("%d request%s: X-Cache %s, %d with Age, %d reached the backend%s", requests,
                requests == 1 ? "" : "s", values.isEmpty() ? NO_HEADER : String.join(", ", values), withAge,
                backendRequests, failures > 0 ? ", " + failures + " FAILED" : "");
    }
}
