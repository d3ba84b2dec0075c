package io.gridgate.node.config;

import java.util.List;
import java.util.Map;

/**
 * Headers the gateway sets on, or removes from, every response it sends: server-wide, then per
 * route, whether the response came from an upstream or from the gateway itself. Removal runs
 * before setting, and a route's entries after the server's, so a route's {@code set} wins.
 *
 * @param set header name to value; replaces any value the response already has
 * @param remove header names taken out of the response
 */
public record ResponseHeadersConfig(Map<String, String> set, List<String> remove) {

    public ResponseHeadersConfig {
        set = Map.copyOf(set);
        remove = List.copyOf(remove);
    }

    /** A route's default: nothing beyond the server's entries. */
    public static final ResponseHeadersConfig NONE = new ResponseHeadersConfig(Map.of(), List.of());

    /** What the server removes unless told otherwise: version banners of upstreams. */
    public static final List<String> DEFAULT_REMOVE = List.of("Server", "X-Powered-By");

    /** The server's default. */
    public static final ResponseHeadersConfig SERVER_DEFAULT = new ResponseHeadersConfig(Map.of(), DEFAULT_REMOVE);

    public boolean isEmpty() {
        return set.isEmpty() && remove.isEmpty();
    }
}
