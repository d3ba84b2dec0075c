package io.gridgate.cluster.ratelimit;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * One limit: {@code permits} per {@code per}. A token bucket refills at that rate and holds at most
 * {@code burst} tokens; a sliding window admits {@code permits} in any window of length {@code per}
 * (estimated from the current and previous fixed windows, as Envoy and Cloudflare do).
 */
public record RateLimit(Algorithm algorithm, long permits, Duration per, long burst) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** How a limit counts. */
    public enum Algorithm { TOKEN_BUCKET, SLIDING_WINDOW }

    public RateLimit {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(per, "per");
        if (permits < 1) {
            throw new IllegalArgumentException("permits: " + permits + " (expected: >= 1)");
        }
        if (per.toMillis() < 1) {
            throw new IllegalArgumentException("per: " + per + " (expected: >= 1ms)");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst: " + burst + " (expected: >= 1)");
        }
    }

    public static RateLimit tokenBucket(long permits, Duration per, long burst) {
        return new RateLimit(Algorithm.TOKEN_BUCKET, permits, per, burst);
    }

    public static RateLimit slidingWindow(long permits, Duration per) {
        return new RateLimit(Algorithm.SLIDING_WINDOW, permits, per, permits);
    }

    /** The most this limit can ever admit at once. */
    public long capacity() {
        return algorithm == Algorithm.TOKEN_BUCKET ? burst : permits;
    }
}
