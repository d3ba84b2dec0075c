package io.gridgate.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Circuit-breaker trips shared by the members. Each node's own breakers decide; the board only
 * carries what one node learned to the others. A notice is published only when the cluster-wide
 * state changes, and carries a version that grows with every change of its breaker, so duplicate
 * and late deliveries are recognised and no notice causes another.
 */
public interface BreakerBoard {

    /**
     * Records this member's vote that the breaker is open until {@code openUntil}. Once at least
     * {@code quorum} members hold votes that have not run out, the breaker is open cluster-wide
     * until the latest time that {@code quorum} of them agree on, and a {@link BreakerNotice.Kind#OPEN}
     * notice goes out; a vote while it is already open about as long publishes nothing.
     */
    CompletionStage<Void> trip(String breaker, Instant openUntil, int quorum);

    /** Opens the breaker on every member until {@link #forceClose} (an operator's decision). */
    CompletionStage<Void> forceOpen(String breaker);

    /** Closes the breaker on every member and forgets the votes (an operator's decision). */
    CompletionStage<Void> forceClose(String breaker);

    /**
     * Calls {@code listener} with every notice any member publishes, this one's included, on a grid
     * event thread: it must not block. Closing the handle stops the calls.
     */
    AutoCloseable subscribe(Consumer<BreakerNotice> listener);

    /** The latest notice of each breaker that has one, for a member that has just joined. */
    Map<String, BreakerNotice> notices();

    /** Publishes this member's current state of one breaker, kept until it changes or the member leaves. */
    CompletionStage<Void> report(String breaker, String state, Instant since);

    /** Every member's reported breaker states. */
    CompletionStage<List<BreakerView>> views();
}
