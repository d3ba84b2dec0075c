package io.gridgate.node.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.gridgate.cluster.BreakerBoard;
import io.gridgate.cluster.BreakerNotice;
import io.gridgate.node.config.CircuitBreakerConfig;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's circuit breakers, one per upstream, and their link to the cluster. A breaker that
 * trips here is published on the {@link BreakerBoard}; a notice from another node opens the local
 * breaker for the time that remains, plus a random delay of up to the breaker's probe jitter, so
 * the nodes do not all probe at once. A breaker opened by a notice does not publish again, and each
 * breaker applies a notice version once, so nothing loops.
 */
public final class Breakers implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Breakers.class.getName());

    private final Optional<BreakerBoard> board;
    private final String self;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();
    /** The newest notice of each breaker, kept for breakers this node has not created yet. */
    private final Map<String, BreakerNotice> notices = new ConcurrentHashMap<>();
    private final AutoCloseable subscription;

    Breakers(Optional<BreakerBoard> board, String self, Clock clock, DoubleSupplier random) {
        this.board = board;
        this.self = self;
        this.clock = clock;
        this.random = random;
        this.subscription = board.map(b -> b.subscribe(this::onNotice)).orElse(() -> { });
        // Subscribed first: a notice that arrives while the snapshot is read is not lost.
        board.ifPresent(b -> b.notices().values().forEach(this::onNotice));
    }

    /** Breakers shared with the other members through {@code board}. */
    public static Breakers shared(BreakerBoard board, String self, Clock clock) {
        return new Breakers(Optional.of(board), self, clock, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    }

    /** Breakers that only this node knows of. */
    public static Breakers local(Clock clock) {
        return new Breakers(Optional.empty(), "local", clock, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The breaker of an upstream, created with {@code config} the first time it is asked for, and
     * again (closed) when a configuration change gives it other settings.
     */
    public Breaker breaker(String name, CircuitBreakerConfig config) {
        Breaker existing = breakers.get(name);
        if (existing != null && existing.config().equals(config)) {
            return existing;
        }
        return breakers.compute(name, (n, old) -> old != null && old.config().equals(config) ? old : create(n, config));
    }

    public Optional<Breaker> find(String name) {
        return Optional.ofNullable(breakers.get(name));
    }

    public List<Breaker> all() {
        return breakers.values().stream().sorted(java.util.Comparator.comparing(Breaker::name)).toList();
    }

    private Breaker create(String name, CircuitBreakerConfig config) {
        if (!config.enabled()) {
            return new Breaker(name, config, null, clock, this::onTransition);
        }
        CircuitBreaker delegate = CircuitBreaker.of(name, resilience4j(config));
        Breaker breaker = new Breaker(name, config, delegate, clock, this::onTransition);
        BreakerNotice known = notices.get(name);
        if (known != null) {
            apply(breaker, known);
        }
        return breaker;
    }

    private io.github.resilience4j.circuitbreaker.CircuitBreakerConfig resilience4j(CircuitBreakerConfig config) {
        boolean count = config.window() == CircuitBreakerConfig.Window.COUNT;
        return io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                .slidingWindow(config.windowSize(), config.minimumCalls(),
                        count ? SlidingWindowType.COUNT_BASED : SlidingWindowType.TIME_BASED,
                        SlidingWindowSynchronizationStrategy.LOCK_FREE)
                .failureRateThreshold(config.failureRate())
                .slowCallDurationThreshold(config.slowCallDuration())
                .slowCallRateThreshold(config.slowCallRate())
                .waitDurationInOpenState(config.waitInOpen())
                .permittedNumberOfCallsInHalfOpenState(config.halfOpenCalls())
                .writableStackTraceEnabled(false)
                .clock(clock)
                .build();
    }

    private void onTransition(Breaker breaker, State from, State to) {
        if (to == State.OPEN && !breaker.openedByNotice()) {
            long until = clock.millis() + breaker.config().waitInOpen().toMillis();
            breaker.openedUntil(until);
            if (breaker.config().share()) {
                board.ifPresent(b -> b.trip(breaker.name(), Instant.ofEpochMilli(until), breaker.config().quorum())
                        .whenComplete((ok, e) -> logFailure(e, "publish the trip of breaker " + breaker.name())));
                LOG.info(() -> "circuit breaker " + breaker.name() + " opened here; telling the cluster");
            }
        }
        board.ifPresent(b -> b.report(breaker.name(), to.name(), clock.instant())
                .whenComplete((ok, e) -> logFailure(e, "report the state of breaker " + breaker.name())));
    }

    private void onNotice(BreakerNotice notice) {
        BreakerNotice newest = notices.merge(notice.breaker(), notice,
                (old, fresh) -> fresh.version() > old.version() ? fresh : old);
        if (newest != notice || self.equals(notice.origin())) {
            return; // a duplicate, a late delivery, or this node's own change, already applied
        }
        Breaker breaker = breakers.get(notice.breaker());
        if (breaker != null) {
            apply(breaker, notice);
        }
    }

    private void apply(Breaker breaker, BreakerNotice notice) {
        CircuitBreaker delegate = breaker.delegate();
        if (delegate == null || self.equals(notice.origin())) {
            return;
        }
        switch (notice.kind()) {
            case OPEN -> openFor(breaker, delegate, notice.openUntil());
            case FORCED_OPEN -> delegate.transitionToForcedOpenState();
            case CLOSED -> delegate.transitionToClosedState();
        }
        breaker.observe();
    }

    private void openFor(Breaker breaker, CircuitBreaker delegate, Instant until) {
        State state = delegate.getState();
        if (until.toEpochMilli() <= clock.millis() || state == State.OPEN || state == State.FORCED_OPEN) {
            return; // over already, or this node has opened on its own
        }
        long jitter = (long) (random.getAsDouble() * breaker.config().probeJitter().toMillis());
        Instant probeAt = until.plusMillis(jitter);
        breaker.openedUntil(probeAt.toEpochMilli());
        breaker.openingByNotice();
        delegate.transitionToOpenStateUntil(probeAt);
        LOG.info(() -> "circuit breaker " + breaker.name() + " opened by another node's trip, until " + probeAt);
    }

    /** Opens a breaker until an operator closes it: on every node, or on this one only. */
    public CompletionStage<Void> forceOpen(String name, boolean clusterWide) {
        Breaker breaker = breakers.get(name);
        if (breaker != null && breaker.delegate() != null) {
            breaker.delegate().transitionToForcedOpenState();
            breaker.observe();
        }
        return clusterWide && board.isPresent() ? board.get().forceOpen(name) : CompletableFuture.completedFuture(null);
    }

    /** Closes a breaker and clears its window: on every node, or on this one only. */
    public CompletionStage<Void> forceClose(String name, boolean clusterWide) {
        Breaker breaker = breakers.get(name);
        if (breaker != null && breaker.delegate() != null) {
            breaker.delegate().transitionToClosedState();
            breaker.observe();
        }
        return clusterWide && board.isPresent() ? board.get().forceClose(name) : CompletableFuture.completedFuture(null);
    }

    private static void logFailure(Throwable e, String what) {
        if (e != null) {
            LOG.log(Level.WARNING, "could not " + what + " through the grid", e);
        }
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "could not unsubscribe from breaker notices", e);
        }
    }
}
