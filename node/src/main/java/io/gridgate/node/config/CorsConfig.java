package io.gridgate.node.config;

import java.time.Duration;
import java.util.List;

/**
 * A route's CORS policy: which browser origins may call it, and what the gateway answers to their
 * preflights. Origins are lower-case and without a default port, as browsers send them.
 *
 * @param allowOrigins exact origins ({@code https://app.example.com}), leading-wildcard patterns
 *     ({@code https://*.example.com}, one or more labels), or {@code *} alone
 * @param allowMethods methods a preflight may ask for; defaults to the route's {@code match.methods},
 *     else {@code GET, HEAD, POST}
 * @param allowHeaders request headers a preflight may ask for, beyond the CORS-safelisted ones
 * @param exposeHeaders response headers the browser lets scripts read
 * @param allowCredentials whether browsers may send cookies and read the answer; never with {@code *}
 * @param maxAge how long browsers may cache a preflight answer ({@code Access-Control-Max-Age})
 */
public record CorsConfig(
        List<String> allowOrigins,
        List<String> allowMethods,
        List<String> allowHeaders,
        List<String> exposeHeaders,
        boolean allowCredentials,
        Duration maxAge) {

    /** The {@code allowOrigins} entry that admits every origin. */
    public static final String ANY_ORIGIN = "*";

    /** The methods a preflight may ask for when neither {@code allowMethods} nor {@code match.methods} is set. */
    public static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "POST");

    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

    public CorsConfig {
        allowOrigins = List.copyOf(allowOrigins);
        allowMethods = List.copyOf(allowMethods);
        allowHeaders = List.copyOf(allowHeaders);
        exposeHeaders = List.copyOf(exposeHeaders);
    }
}
