package io.gridgate.registry.client;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the latest call to a gateway node came to, for a service's own health checks and logs.
 *
 * @param at when the call ended
 * @param adminUrl the admin URL of the node called
 * @param succeeded true when the call did what it was for: the instance is registered (or, after
 *     {@link GridgateRegistration#close()}, no longer is)
 * @param status the HTTP status, or empty when no reply came (connection refused, timeout)
 * @param detail {@code created}, {@code renewed}, {@code deregistered}, or what went wrong: the
 *     node's error body or the I/O failure
 * @param consecutiveFailures how many calls in a row have failed, this one included; 0 after a success
 */
public record RegistrationOutcome(
        Instant at,
        URI adminUrl,
        boolean succeeded,
        OptionalInt status,
        String detail,
        int consecutiveFailures) {

    public RegistrationOutcome {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(adminUrl, "adminUrl");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return (succeeded ? "succeeded" : "failed") + " at " + at + " through " + adminUrl
                + (status.isPresent() ? " with " + status.getAsInt() : " without a reply") + ": " + detail
                + (consecutiveFailures > 0 ? " (" + consecutiveFailures + " failure(s) in a row)" : "");
    }
}
