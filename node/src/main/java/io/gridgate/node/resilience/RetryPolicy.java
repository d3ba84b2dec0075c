package io.gridgate.node.resilience;

import io.gridgate.node.config.RetryConfig;
import io.gridgate.node.config.RetryConfig.Condition;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * A route's retry rules as pure decisions: which requests may be tried again, after which failures,
 * and how long to wait first. The proxy applies them; the retry budget and the breaker have the
 * last word.
 */
public final class RetryPolicy {

    /** The header by which a client declares a non-idempotent request safe to repeat. */
    public static final HttpString IDEMPOTENCY_KEY = new HttpString("Idempotency-Key");
    private static final Set<HttpString> IDEMPOTENT = Set.of(Methods.GET, Methods.HEAD, Methods.OPTIONS,
            Methods.PUT, Methods.DELETE);

    private final RetryConfig config;
    private final long baseNanos;
    private final long maxNanos;
    private final DoubleSupplier random;
    private final StatusSet statuses;

    RetryPolicy(RetryConfig config, DoubleSupplier random) {
        this.config = config;
        this.statuses = StatusSet.of(config.statuses());
        this.baseNanos = config.backoffBase().toNanos();
        this.maxNanos = config.backoffMax().toNanos();
        this.random = random;
    }

    public static RetryPolicy of(RetryConfig config) {
        return new RetryPolicy(config, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    }

    public int attempts() {
        return config.attempts();
    }

    public long maxBufferedBody() {
        return config.maxBufferedBody();
    }

    /** Whether the request may be tried more than once at all. */
    public boolean mayRetry(HttpString method, HeaderMap headers) {
        return config.enabled() && (IDEMPOTENT.contains(method) || config.nonIdempotent()
                || headers.contains(IDEMPOTENCY_KEY));
    }

    public boolean retriesOn(Condition condition) {
        return config.conditions().contains(condition);
    }

    public boolean retriesStatus(int status) {
        return statuses.contains(status);
    }

    /**
     * The wait before retry number {@code retry} (1 for the first): drawn at random up to the base
     * doubled per earlier retry, capped ("full jitter"), so clients that failed together spread out.
     */
    public long backoffNanos(int retry) {
        long ceiling = baseNanos << Math.min(retry - 1, 30);
        if (ceiling <= 0 || ceiling > maxNanos) {
            ceiling = maxNanos;
        }
        return (long) (random.getAsDouble() * ceiling);
    }
}
