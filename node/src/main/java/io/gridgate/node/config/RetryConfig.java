package io.gridgate.node.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * When and how a route tries a request again. Only idempotent methods (GET, HEAD, OPTIONS, PUT,
 * DELETE) are retried unless {@code nonIdempotent} is set or the request carries an
 * {@code Idempotency-Key}; every retry also needs room in its upstream's retry budget.
 *
 * @param attempts tries in all, the first included: 1 turns retries off
 * @param perTryTimeout bound on one try, from its start to the response head; empty: only the
 *     route's connect and responseHeader timeouts apply
 * @param backoffBase the delay before the first retry, doubled for each next one
 * @param backoffMax the cap on that delay; each delay is drawn at random up to it ("full jitter")
 * @param conditions failures that are retried
 * @param statuses upstream response statuses that are retried
 * @param nonIdempotent retry POST and PATCH too (the upstream must tolerate duplicates)
 * @param maxBufferedBody a request body of at most this many bytes is kept so that it can be sent
 *     again; a larger or unsized body is streamed, and then only a failure to connect is retried
 */
public record RetryConfig(int attempts, Optional<Duration> perTryTimeout, Duration backoffBase, Duration backoffMax,
                          Set<Condition> conditions, Set<Integer> statuses, boolean nonIdempotent,
                          long maxBufferedBody) {

    public RetryConfig {
        conditions = Set.copyOf(conditions);
        statuses = Set.copyOf(statuses);
    }

    /** What a route retries when it says nothing: one retry on connect failure, reset, 502, 503 or 504. */
    public static final RetryConfig DEFAULT = new RetryConfig(2, Optional.empty(), Duration.ofMillis(25),
            Duration.ofMillis(250), Set.of(Condition.CONNECT_FAILURE, Condition.RESET), Set.of(502, 503, 504),
            false, 64 * 1024);

    /** Failures that are not a response status. */
    public enum Condition {
        /** No connection could be opened (refused, unreachable, connect timeout). */
        CONNECT_FAILURE,
        /** The connection closed or reset before a response head arrived. */
        RESET,
        /** No response head within the per-try timeout (or the responseHeader timeout). */
        TIMEOUT
    }

    public boolean enabled() {
        return attempts > 1;
    }
}
