package io.gridgate.node.config;

import java.time.Duration;
import java.util.List;

/**
 * One rate-limit policy of a route. Requests with the same policy id and the same key values share
 * counters cluster-wide, across every route that names the policy id with the same key.
 *
 * @param key what distinguishes clients; empty means one counter for all of them
 * @param limits all must admit a request (e.g. 20/s with a burst of 40, and 10,000/day)
 * @param leaseSize in {@code leased} mode, how many permits a node takes from the grid at once
 * @param onGridError what to do when the grid does not answer within {@code gridTimeout}
 * @param legacyHeaders also send {@code X-RateLimit-Limit/Remaining/Reset}
 */
public record RateLimitConfig(String id, List<KeyPart> key, List<Limit> limits, Mode mode, int leaseSize,
                              OnGridError onGridError, Duration gridTimeout, boolean legacyHeaders) {

    public RateLimitConfig {
        key = List.copyOf(key);
        limits = List.copyOf(limits);
    }

    /** One part of a rate-limit key. */
    public record KeyPart(Source source, String name) {

        /**
         * Where the value comes from; {@code name} is the header's or the claim's name, empty
         * otherwise. {@code CONSUMER} and {@code CLAIM} come from the authenticated identity; an
         * anonymous request counts under the empty value.
         */
        public enum Source { CLIENT_IP, ROUTE, HEADER, CONSUMER, CLAIM }
    }

    /** {@code permits} per {@code per}; a token bucket holds at most {@code burst}. */
    public record Limit(Algorithm algorithm, long permits, Duration per, long burst) {

        /** How a limit counts. */
        public enum Algorithm { TOKEN_BUCKET, SLIDING_WINDOW }
    }

    /** Exactness against grid round trips. */
    public enum Mode {
        /** Every decision on the key's owner: never over-admits. */
        EXACT,
        /** Permits taken from the grid in leases and spent locally: far fewer round trips. */
        LEASED
    }

    /** Admit or refuse requests when the grid cannot decide in time. */
    public enum OnGridError { ALLOW, DENY }
}
