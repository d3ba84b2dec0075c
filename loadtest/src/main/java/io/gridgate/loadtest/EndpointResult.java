package io.gridgate.loadtest;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one endpoint of a run got; the counts mean what {@link LoadResult}'s do.
 *
 * @param endpoint where the requests went
 * @param succeeded 2xx responses inside the window
 * @param errors failures over the whole run, warm-up included
 * @param non2xxByStatus the non-2xx responses of {@code errors} by status code
 * @param latencyNanos latency of the {@code succeeded} responses; read-only by convention
 */
public record EndpointResult(
        Endpoint endpoint,
        long succeeded,
        ErrorCounts errors,
        SortedMap<Integer, Long> non2xxByStatus,
        Histogram latencyNanos) {

    public EndpointResult {
        non2xxByStatus = Collections.unmodifiableSortedMap(new TreeMap<>(non2xxByStatus));
    }

    /** Both tallies of the same endpoint together, for merging the generator's threads. */
    public EndpointResult plus(EndpointResult other) {
        if (!endpoint.equals(other.endpoint)) {
            throw new IllegalArgumentException("other: " + other.endpoint + " (expected: " + endpoint + ")");
        }
        Histogram latency = latencyNanos.copy();
        latency.add(other.latencyNanos);
        return new EndpointResult(endpoint, succeeded + other.succeeded, errors.plus(other.errors),
                mergeCounts(non2xxByStatus, other.non2xxByStatus), latency);
    }

    static SortedMap<Integer, Long> mergeCounts(SortedMap<Integer, Long> a, SortedMap<Integer, Long> b) {
        SortedMap<Integer, Long> sum = new TreeMap<>(a);
        b.forEach((status, count) -> sum.merge(status, count, Long::sum));
        return sum;
    }
}
