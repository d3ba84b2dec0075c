package io.gridgate.registry.client;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A validated registration, and its wire form: the path it lives at and the heartbeat body. */
record Instance(
        String service,
        String id,
        String scheme,
        String host,
        int port,
        int weight,
        Optional<String> zone,
        Map<String, String> metadata,
        Duration ttl) {

    /** The instance's path under an admin URL. Service and id patterns need no percent-encoding. */
    String path() {
        return "/registry/services/" + service + "/instances/" + id;
    }

    /** The heartbeat body, as {@code PUT} sends it on registration and on every renewal. */
    String json() {
        StringBuilder out = new StringBuilder(128).append("{\"host\":");
        Json.quote(host, out)
                .append(",\"port\":").append(port)
                .append(",\"scheme\":\"").append(scheme)
                .append("\",\"weight\":").append(weight);
        zone.ifPresent(z -> Json.quote(z, out.append(",\"zone\":")));
        out.append(",\"metadata\":{");
        String separator = "";
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            Json.quote(entry.getKey(), out.append(separator)).append(':');
            Json.quote(entry.getValue(), out);
            separator = ",";
        }
        return out.append("},\"ttlSeconds\":").append(ttl.toSeconds()).append('}').toString();
    }

    /** How logs and errors name it: {@code orders/orders-1 (http://10.0.0.5:8080)}. */
    String describe() {
        String authority = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return service + "/" + id + " (" + scheme + "://" + authority + ":" + port + ")";
    }
}
