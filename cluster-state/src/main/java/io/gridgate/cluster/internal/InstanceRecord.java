package io.gridgate.cluster.internal;

import io.gridgate.cluster.InstanceState;
import io.gridgate.cluster.ServiceInstance;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The grid's value for a registered instance: its settings and when it first registered. */
final class InstanceRecord implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    final String service;
    final String id;
    final String scheme;
    final String host;
    final int port;
    final int weight;
    final String zone;
    final HashMap<String, String> metadata;
    final long ttlMillis;
    final long registeredAtMillis;
    /** When this value was written: a heartbeat every node learns from the entry event itself. */
    final long writtenAtMillis;

    InstanceRecord(ServiceInstance instance, long registeredAtMillis, long writtenAtMillis) {
        this.service = instance.service();
        this.id = instance.id();
        this.scheme = instance.scheme();
        this.host = instance.host();
        this.port = instance.port();
        this.weight = instance.weight();
        this.zone = instance.zone().orElse(null);
        this.metadata = new HashMap<>(instance.metadata());
        this.ttlMillis = instance.ttl().toMillis();
        this.registeredAtMillis = registeredAtMillis;
        this.writtenAtMillis = writtenAtMillis;
    }

    ServiceInstance instance() {
        return new ServiceInstance(service, id, scheme, host, port, weight, Optional.ofNullable(zone), metadata,
                Duration.ofMillis(ttlMillis));
    }

    InstanceState state(long lastHeartbeatMillis) {
        return new InstanceState(instance(), Instant.ofEpochMilli(registeredAtMillis),
                Instant.ofEpochMilli(lastHeartbeatMillis));
    }

    /** Same settings, whenever registered: a renewal that need not rewrite the entry. */
    boolean sameSettings(InstanceRecord other) {
        return port == other.port && weight == other.weight && ttlMillis == other.ttlMillis
                && scheme.equals(other.scheme) && host.equals(other.host) && Objects.equals(zone, other.zone)
                && metadata.equals(other.metadata);
    }

    InstanceRecord withRegisteredAt(long millis) {
        return new InstanceRecord(instance(), millis, writtenAtMillis);
    }
}
