package io.gridgate.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The cluster-wide service registry. Writes go to the grid asynchronously; reads answer from this
 * node's local view, which entry events keep current and a periodic sync keeps honest, so a read
 * never waits on the network.
 */
public interface ServiceRegistry {

    /** Registers or renews an instance; the heartbeat time is this node's clock. */
    CompletionStage<RegisterOutcome> register(ServiceInstance instance);

    /** Removes an instance at once on every node; completes with false if it was not registered. */
    CompletionStage<Boolean> deregister(String service, String id);

    /** This node's view of one service's instances, live or not (see {@link InstanceState#isLive}). */
    List<InstanceState> instances(String service);

    /** This node's view of every service. */
    Map<String, List<InstanceState>> services();

    /**
     * Takes an instance out of rotation on every node until {@code until}, as outlier detection or a
     * failed active health check decides. A later ejection replaces an earlier one.
     */
    CompletionStage<Void> eject(String service, String id, Instant until, String reason);

    /** Puts an ejected instance back into rotation on every node. */
    CompletionStage<Void> readmit(String service, String id);

    /** The end of the instance's ejection as this node knows it, or {@code null} when it is not ejected. */
    Instant ejectedUntil(String service, String id);

    /**
     * True when this node is the one that should actively probe the instance: exactly one node is,
     * the owner of the instance's partition, and ownership moves when nodes come and go.
     */
    boolean isProbedHere(String service, String id);

    /** Runs the listener (on a grid thread; keep it short) whenever this node's view changes. */
    void onChange(Runnable listener);

    /** How often heartbeat times are fetched for this node's view; the staleness bound of liveness. */
    Duration syncInterval();
}
