package io.gridgate.node;

import java.time.Clock;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/**
 * Whether this node sees the members the cluster should have. Fewer than expected for longer than
 * the grace period means a network split or a discovery that does not find the others: each part
 * would then enforce the whole rate-limit budget on its own, so the node reports not ready (and says
 * why, once per change) rather than silently multiplying budgets.
 */
final class ClusterSize {

    private static final Logger LOG = Logger.getLogger(ClusterSize.class.getName());

    private final int expected;
    private final long graceMillis;
    private final IntSupplier members;
    private final Clock clock;
    private long belowSince = -1;
    private boolean reported;

    ClusterSize(int expected, Duration grace, IntSupplier members, Clock clock) {
        this.expected = expected;
        this.graceMillis = grace.toMillis();
        this.members = members;
        this.clock = clock;
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
