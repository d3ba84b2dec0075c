package io.gridgate.node.routing;

import io.undertow.util.HttpString;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a route answers while its upstream's circuit breaker is open, compiled from its config. */
public sealed interface Fallback {

    /** A fixed response, ready to send. */
    record Fixed(int status, Map<HttpString, String> headers, byte[] body) implements Fallback {

        static Fixed of(int status, Map<String, String> headers, String body) {
            Map<HttpString, String> compiled = new java.util.LinkedHashMap<>();
            headers.forEach((name, value) -> compiled.put(new HttpString(name), value));
            return new Fixed(status, Map.copyOf(compiled), body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Another route's upstream, which gets the request with the path the first route computed. */
    record Reroute(String routeId, Target target) implements Fallback {
    }
}
