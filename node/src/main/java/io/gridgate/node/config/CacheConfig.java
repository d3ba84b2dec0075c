package io.gridgate.node.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A route's response cache: on when the route has this section.
 *
 * @param ttl              how long a response stays fresh when the upstream gives no freshness; 0s stores only
 *                         responses that give it
 * @param statuses         the statuses that may be stored
 * @param maxEntryBytes    the largest body stored; larger responses stream through uncached
 * @param keyPerConsumer   whether each authenticated consumer gets its own entries
 * @param keyHeaders       request headers that are always part of the key, beside the response's {@code Vary}
 * @param maxStale         the longest {@code stale-while-revalidate} or {@code stale-if-error} honoured
 * @param singleFlightWait how long concurrent misses wait for the one request sent upstream; 0s turns it off
 */
public record CacheConfig(Duration ttl, Set<Integer> statuses, long maxEntryBytes, boolean keyPerConsumer,
                          List<String> keyHeaders, Duration maxStale, Duration singleFlightWait) {

    public static final Duration DEFAULT_TTL = Duration.ofMinutes(1);
    public static final Set<Integer> DEFAULT_STATUSES = Set.of(200, 203, 204, 300, 301, 404, 410);
    public static final long DEFAULT_MAX_ENTRY_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_MAX_STALE = Duration.ofHours(1);
    public static final Duration DEFAULT_SINGLE_FLIGHT_WAIT = Duration.ofSeconds(5);

    public CacheConfig {
        statuses = Set.copyOf(statuses);
        keyHeaders = List.copyOf(keyHeaders);
    }
}
