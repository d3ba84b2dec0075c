package io.gridgate.node.config;

import java.time.Duration;

/**
 * Bounds on what a client may send, and how the gateway treats malformed requests.
 *
 * @param maxHeaders request headers per request; more get 431
 * @param maxUrlBytes the request target (path and query); longer gets 414
 * @param maxBodyBytes request body bytes, for routes that set no bound of their own; more get 413
 * @param bodyReadTimeout the longest pause between two reads of a request body before the
 *     connection is closed
 * @param strictFraming reject request-smuggling vectors (any {@code Transfer-Encoding} but exactly
 *     {@code chunked}, {@code Content-Length} with {@code Transfer-Encoding}, a duplicate or invalid
 *     {@code Content-Length}, obs-fold, bare CR or LF, control characters in header names or
 *     values, whitespace before the colon) with 400, and close the connection
 * @param normalizePaths decode and normalize the path once before routing, and refuse what cannot
 *     be normalized safely with 400
 */
public record LimitsConfig(int maxHeaders, int maxUrlBytes, long maxBodyBytes, Duration bodyReadTimeout,
                           boolean strictFraming, boolean normalizePaths) {

    public static final LimitsConfig DEFAULT = new LimitsConfig(100, 8192, 10L * 1024 * 1024,
            Duration.ofSeconds(30), true, true);
}
