package io.gridgate.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One instance of a service, as it registered itself: where to reach it and how long a heartbeat
 * keeps it alive.
 *
 * @param scheme {@code http} or {@code https}
 * @param weight relative share of traffic under weighted load balancing, at least 1
 * @param zone the failure zone it runs in, for zone-aware routing
 * @param ttl how long after its last heartbeat the instance stops receiving traffic
 */
public record ServiceInstance(
        String service,
        String id,
        String scheme,
        String host,
        int port,
        int weight,
        Optional<String> zone,
        Map<String, String> metadata,
        Duration ttl) {

    public ServiceInstance {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(zone, "zone");
        metadata = Map.copyOf(metadata);
        Objects.requireNonNull(ttl, "ttl");
    }

    /** The grid key: unique per service and instance. */
    public String key() {
        return key(service, id);
    }

    public static String key(String service, String id) {
        return service + "/" + id;
    }

    /** {@code host:port}, as the proxy connects to it. */
    public String authority() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
