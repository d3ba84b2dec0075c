package io.gridgate.node;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/**
 * Whether this node sees the members the cluster should have. Fewer than expected for longer than
 * the grace period means a network split or a discovery that does not find the others: each part
 * would then enforce the whole rate-limit budget on its own, so the node reports not ready (and says
 * why, once per change) rather than silently multiplying budgets. The grace period runs from the
 * membership change itself, and the end of it is checked on a timer, so the log line and the
 * state do not wait for a probe or a scrape.
 */
final class ClusterSize {

    private static final Logger LOG = Logger.getLogger(ClusterSize.class.getName());

    /** Runs a task once after a delay. */
    interface Timer {
        void schedule(Duration delay, Runnable task);
    }

    private final int expected;
    private final long graceMillis;
    private final IntSupplier members;
    private final Clock clock;
    private final Timer timer;
    private long belowSince = -1;
    private boolean reported;
    private boolean checkPending;

    ClusterSize(int expected, Duration grace, IntSupplier members, Clock clock, Timer timer) {
        this.expected = expected;
        this.graceMillis = grace.toMillis();
        this.members = members;
        this.clock = clock;
        this.timer = timer;
    }

    /**
     * Takes note of the members seen now; call it at start and on every membership change. When
     * too few, the end of the grace period is checked without waiting for anyone to ask.
     */
    synchronized void membershipChanged() {
        if (belowExpected() || belowSince < 0 || checkPending) {
            return;
        }
        long remaining = belowSince + graceMillis + 1 - clock.millis();
        try {
            timer.schedule(Duration.ofMillis(Math.max(remaining, 0)), this::graceOver);
            checkPending = true;
        } catch (RejectedExecutionException e) {
            LOG.fine("the node is stopping: the cluster size is no longer watched");
        }
    }

    private synchronized void graceOver() {
        checkPending = false;
        membershipChanged(); // a recovery and a new loss since may have moved the grace period on
    }

    /** True while the node has seen fewer members than expected for longer than the grace period. */
    synchronized boolean belowExpected() {
        if (expected == 0) {
            return false;
        }
        int seen = members.getAsInt();
        long now = clock.millis();
        if (seen >= expected) {
            if (reported) {
                LOG.info(() -> "the cluster has " + seen + " members again (expected " + expected + ")");
            }
            belowSince = -1;
            reported = false;
            return false;
        }
        if (belowSince < 0) {
            belowSince = now;
        }
        boolean below = now - belowSince > graceMillis;
        if (below && !reported) {
            reported = true;
            LOG.warning(() -> "this node sees " + seen + " cluster members, fewer than the " + expected
                    + " expected, for more than " + graceMillis + " ms: reporting not ready (a split or a discovery"
                    + " that misses members would multiply rate-limit budgets)");
        }
        return below;
    }

    /** The readiness check: ready unless below the expected size past the grace period. */
    boolean ready() {
        return !belowExpected();
    }
}
