package io.gridgate.node.routing;

import io.gridgate.node.config.DeprecationConfig;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * The response headers that mark a deprecated API, rendered once when the route is compiled:
 * {@code Deprecation} (RFC 9745), {@code Sunset} (RFC 8594) and a {@code Link} with
 * {@code rel="deprecation"}.
 */
public record Deprecation(String deprecation, Optional<String> sunset, Optional<String> link) {

    /** IMF-fixdate (RFC 9110 section 5.6.7); Java's RFC 1123 formatter drops the day's leading zero. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    public static Optional<Deprecation> of(Optional<DeprecationConfig> config) {
        return config.map(c -> new Deprecation(
                c.since().map(since -> "@" + since.getEpochSecond()).orElse("true"),
                c.sunset().map(sunset -> HTTP_DATE.format(sunset.atOffset(ZoneOffset.UTC))),
                c.link().map(link -> "<" + link + ">; rel=\"deprecation\"")));
    }
}
