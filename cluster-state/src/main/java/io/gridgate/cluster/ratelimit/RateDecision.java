package io.gridgate.cluster.ratelimit;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/**
 * The answer for one request under a key's limits. The numbers describe the tightest limit (the
 * one that denied, or the one with the fewest permits left), as the RateLimit headers report it.
 *
 * @param limitIndex which of the key's limits they describe
 * @param remaining permits left under it after this decision
 * @param reset until it is fully replenished (token bucket) or its window ends (sliding window)
 * @param retryAfter when denied, until enough permits are back; zero when allowed
 */
public record RateDecision(boolean allowed, int limitIndex, long limit, long remaining, Duration reset,
                           Duration retryAfter) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;
}
