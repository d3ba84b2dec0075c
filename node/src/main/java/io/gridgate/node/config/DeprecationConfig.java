package io.gridgate.node.config;

import java.time.Instant;
import java.util.Optional;

/**
 * Marks responses with {@code Deprecation} (RFC 9745) and, when a date is given, {@code Sunset} (RFC 8594).
 *
 * @param since when the API was deprecated; empty means {@code Deprecation: true}-style marking from now
 * @param sunset when it stops working
 * @param link a document for migrating, sent as {@code Link: <...>; rel="deprecation"}
 */
public record DeprecationConfig(Optional<Instant> since, Optional<Instant> sunset, Optional<String> link) {
}
