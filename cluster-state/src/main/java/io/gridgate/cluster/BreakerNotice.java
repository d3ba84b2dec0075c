package io.gridgate.cluster;

import java.time.Instant;

/**
 * A change of a breaker's cluster-wide state.
 *
 * @param openUntil when an {@link Kind#OPEN} breaker may probe again; {@link Instant#MAX} for forced
 *     open, {@link Instant#EPOCH} for closed
 * @param version grows with each change of this breaker, across the cluster's life
 * @param origin the id of the member whose trip or command made the change
 */
public record BreakerNotice(String breaker, Kind kind, Instant openUntil, long version, String origin) {

    /** What the notice tells the members to do. */
    public enum Kind {
        /** Open until {@code openUntil}, then probe. */
        OPEN,
        /** Open until an operator closes it. */
        FORCED_OPEN,
        /** Closed by an operator. */
        CLOSED
    }
}
