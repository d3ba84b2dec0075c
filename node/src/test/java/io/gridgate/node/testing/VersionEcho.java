package io.gridgate.node.testing;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;

import java.util.Locale;

/**
 * A route and auth that both carry their configuration version where an upstream sees it, for tests
 * that swap versions under requests: version N's route {@code items} sends {@code /vN/<id>} upstream
 * and its auth names the identity header {@code X-Consumer-VN}, so an answer that shows both shows
 * whether one version served the request whole.
 */
public final class VersionEcho {

    /** The one consumer's key, the same in every version. */
    public static final String API_KEY = "versioned-consumer-key-0123456789";

    private VersionEcho() {
    }

    /** The {@code auth} and {@code routes} sections of version {@code version}; more routes may follow. */
    public static String sections(long version, String upstream) {
        return """
                auth:
                  apiKeys: {header: X-API-Key}
                  consumers: [{id: tester, apiKeys: ["%s"]}]
                  identityHeaders: {consumer: X-Consumer-V%d}
                routes:
                  - id: items
                    match: {path: "/items/{id}"}
                    upstream: %s
                    rewrite: {path: "/v%d/{id}"}
                    auth: {methods: [apiKey]}
                """.formatted(API_KEY, version, upstream, version);
    }

    /** {@code path} and the versioned identity header the request carries, lower-cased: {@code /v3/7 x-consumer-v3}. */
    public static String seen(String path, HttpServerExchange exchange) {
        String identity = exchange.getRequestHeaders().getHeaderNames().stream().map(HttpString::toString)
                .map(name -> name.toLowerCase(Locale.ROOT)).filter(name -> name.startsWith("x-consumer-v"))
                .findFirst().orElse("none");
        return path + " " + identity;
    }
}
