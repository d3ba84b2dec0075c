package io.gridgate.cluster;

import java.time.Instant;

/**
 * What this node knows of a registered instance. Liveness is judged against a clock by the caller:
 * an instance whose last heartbeat is older than its TTL is out of rotation, whether or not the
 * grid has expired its entry yet (expiry events can come seconds late).
 */
public record InstanceState(ServiceInstance instance, Instant registeredAt, Instant lastHeartbeat) {

    /** The moment the instance stops receiving traffic unless it heartbeats again. */
    public Instant deadline() {
        return lastHeartbeat.plus(instance.ttl());
    }

    public boolean isLive(Instant now) {
        return now.isBefore(deadline());
    }
}
