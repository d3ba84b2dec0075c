package io.gridgate.node.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** Reads a route's {@code cache}. */
final class CacheReader {

    static final String[] KEYS = {"ttl", "statuses", "maxEntryBytes", "keyPerConsumer", "keyHeaders", "maxStale",
        "singleFlightWait"};

    /** Entries live in the grid's heap and in every node's near cache: beyond this, stream it. */
    static final long MAX_ENTRY_BYTES = 64L * 1024 * 1024;
    private static final ValueType<Integer> STATUS = ValueTypes.integer(200, 599);
    private static final String STATUSES = "a sequence of statuses such as [200, 404]";
    private static final String HEADERS = "a sequence of header names such as [Accept-Language]";

    private CacheReader() {
    }

    /** Empty when the route has no {@code cache} section; {@code cache: {}} caches with the defaults. */
    static Optional<CacheConfig> read(Section s, boolean hasAuth) {
        if (!s.present()) {
            return Optional.empty();
        }
        List<Integer> statuses = s.list("statuses", STATUS, STATUSES, null);
        if (s.has("statuses") && statuses.isEmpty() && !s.failed("statuses")) {
            s.reject("statuses", "at least one status");
        }
        boolean perConsumer = s.get("keyPerConsumer", ValueTypes.bool(), false);
        if (perConsumer && !hasAuth) {
            s.reject("keyPerConsumer", "false, since the route has no auth to name a consumer");
        }
        long maxEntryBytes = s.get("maxEntryBytes", ValueTypes.byteSize(MAX_ENTRY_BYTES),
                CacheConfig.DEFAULT_MAX_ENTRY_BYTES);
        if (maxEntryBytes == 0) {
            s.reject("maxEntryBytes", "at least 1 byte; to cache nothing, leave out the route's cache");
            maxEntryBytes = CacheConfig.DEFAULT_MAX_ENTRY_BYTES;
        }
        return Optional.of(new CacheConfig(
                s.get("ttl", Durations.typeOrZero(), CacheConfig.DEFAULT_TTL),
                s.has("statuses") ? new LinkedHashSet<>(statuses) : CacheConfig.DEFAULT_STATUSES,
                maxEntryBytes,
                perConsumer,
                s.list("keyHeaders", HeaderFields.listedName(), HEADERS, null),
                s.get("maxStale", Durations.typeOrZero(), CacheConfig.DEFAULT_MAX_STALE),
                s.get("singleFlightWait", Durations.typeOrZero(), CacheConfig.DEFAULT_SINGLE_FLIGHT_WAIT)));
    }
}
