package io.gridgate.node.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.gridgate.node.config.CircuitBreakerConfig;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The circuit breaker of one upstream on this node: a resilience4j breaker (lock-free window) fed
 * with the outcome of every try. A disabled breaker permits everything and records nothing.
 */
public final class Breaker {

    /** What the breaker records for a failed try; without a stack trace, it costs no more than a success. */
    private static final Exception FAILED = new Exception("upstream call failed", null, false, false) { };

    private final String name;
    private final CircuitBreakerConfig config;
    private final CircuitBreaker breaker;
    private final Clock clock;
    /** When an open breaker lets probes through again, in epoch millis; set on each transition to open. */
    private volatile long openUntil;

    Breaker(String name, CircuitBreakerConfig config, CircuitBreaker breaker, Clock clock) {
        this.name = name;
        this.config = config;
        this.breaker = breaker;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    CircuitBreakerConfig config() {
        return config;
    }

    /** The resilience4j breaker, or {@code null} when this one is disabled. */
    CircuitBreaker delegate() {
        return breaker;
    }

    /** Takes a permission for one try; false while open (or half-open with every probe out). */
    public boolean tryAcquire() {
        return breaker == null || breaker.tryAcquirePermission();
    }

    /** Gives back a permission that no try used, such as when the request ended before it was sent. */
    public void release() {
        if (breaker != null) {
            breaker.releasePermission();
        }
    }

    /** Records a try that got a response head after {@code nanos}; some statuses count as failures. */
    public void onResponse(int status, long nanos) {
        if (breaker == null) {
            return;
        }
        if (config.failureStatuses().contains(status)) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, FAILED);
        } else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Records a try that failed to connect, was reset or timed out. */
    public void onFailure(long nanos) {
        if (breaker != null) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, FAILED);
        }
    }

    /** {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, {@code FORCED_OPEN} or {@code DISABLED}. */
    public String state() {
        return breaker == null ? "DISABLED" : breaker.getState().name();
    }

    /** Whole seconds until an open breaker probes again, at least 1: the {@code Retry-After} of a refusal. */
    public long retryAfterSeconds() {
        long millis = openUntil - clock.millis();
        return Math.max(1, (millis + 999) / 1000);
    }

    void openedUntil(long epochMillis) {
        openUntil = epochMillis;
    }

    /** The failure rate in percent over the window, or -1 before it holds the minimum number of calls. */
    public float failureRate() {
        return breaker == null ? -1 : breaker.getMetrics().getFailureRate();
    }

    public float slowCallRate() {
        return breaker == null ? -1 : breaker.getMetrics().getSlowCallRate();
    }

    public int bufferedCalls() {
        return breaker == null ? 0 : breaker.getMetrics().getNumberOfBufferedCalls();
    }

    public long notPermittedCalls() {
        return breaker == null ? 0 : breaker.getMetrics().getNumberOfNotPermittedCalls();
    }
}
