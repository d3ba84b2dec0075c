package io.gridgate.node.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.gridgate.node.config.CircuitBreakerConfig;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The circuit breaker of one upstream on this node: a resilience4j breaker (lock-free window) fed
 * with the outcome of every try. A disabled breaker permits everything and records nothing.
 *
 * <p>State changes are noticed by comparing the state after each call with the last one seen,
 * not through resilience4j's event publisher: with any consumer registered it builds an event,
 * timestamp included, for every single call, which doubled the breaker's cost per request.
 */
public final class Breaker {

    /** Told of each state change this breaker goes through, once, on the thread that saw it. */
    interface Transitions {
        void changed(Breaker breaker, State from, State to);
    }

    /** What the breaker records for a failed try; without a stack trace, it costs no more than a success. */
    private static final Exception FAILED = new Exception("upstream call failed", null, false, false) { };

    private final String name;
    private final CircuitBreakerConfig config;
    private final CircuitBreaker breaker;
    private final Clock clock;
    private final Transitions transitions;
    private final StatusSet failureStatuses;
    private final AtomicReference<State> seen = new AtomicReference<>(State.CLOSED);
    /** When an open breaker lets probes through again, in epoch millis; set on each transition to open. */
    private volatile long openUntil;
    /** True while the breaker is open because another node tripped, so its opening is not published again. */
    private volatile boolean openedByNotice;

    Breaker(String name, CircuitBreakerConfig config, CircuitBreaker breaker, Clock clock, Transitions transitions) {
        this.name = name;
        this.config = config;
        this.breaker = breaker;
        this.clock = clock;
        this.transitions = transitions;
        this.failureStatuses = StatusSet.of(config.failureStatuses());
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
        if (breaker == null) {
            return true;
        }
        boolean permitted = breaker.tryAcquirePermission();
        observe(); // an open breaker turns half-open in here once its wait is over
        return permitted;
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
        if (failureStatuses.contains(status)) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, FAILED);
        } else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS); // slow successes can open it too
        }
        observe();
    }

    /** Records a try that failed to connect, was reset or timed out. */
    public void onFailure(long nanos) {
        if (breaker != null) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, FAILED);
            observe();
        }
    }

    /** Reports a change since the last state seen; of racing observers, exactly one reports it. */
    void observe() {
        State now = breaker.getState();
        State before = seen.get();
        if (now != before && seen.compareAndSet(before, now)) {
            if (now != State.OPEN) {
                openedByNotice = false;
            }
            transitions.changed(this, before, now);
        }
    }

    boolean openedByNotice() {
        return openedByNotice;
    }

    /** Marks the coming transition to open as another node's trip, which is not to be published again. */
    void openingByNotice() {
        openedByNotice = true;
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
