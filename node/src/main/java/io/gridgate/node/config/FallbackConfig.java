package io.gridgate.node.config;

import java.util.Map;
import java.util.Optional;

/**
 * What a route answers while its upstream's circuit breaker is open: either another route's
 * upstream, which gets the request with the path this route computed, or a fixed response.
 *
 * @param route the id of the route whose upstream takes the request; empty for a fixed response
 * @param status the fixed response's status
 * @param headers the fixed response's headers, {@code Content-Type} included
 * @param body the fixed response's body
 */
public record FallbackConfig(Optional<String> route, int status, Map<String, String> headers, String body) {

    public FallbackConfig {
        headers = Map.copyOf(headers);
    }
}
