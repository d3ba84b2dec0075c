package io.gridgate.node.cache;

import io.gridgate.cluster.CachedResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Writes a stored response to an exchange: whole, or as a 304 when the request's condition holds. */
final class Replay {

    static final HttpString X_CACHE = new HttpString("X-Cache");
    static final HttpString AGE = new HttpString("Age");

    /** What a 304 carries of the stored response (RFC 9110 §15.4.5). */
    private static final Set<String> NOT_MODIFIED_HEADERS =
            Set.of("cache-control", "content-location", "date", "etag", "expires", "vary", "last-modified");

    private Replay() {
    }

    /** Sends the entry, or 304 Not Modified; {@code label} goes in {@code X-Cache}. */
    static void send(HttpServerExchange exchange, String method, CachedResponse entry, String label, long nowMillis) {
        HeaderMap out = exchange.getResponseHeaders();
        boolean conditional = exchange.getRequestHeaders().contains("If-None-Match")
                || exchange.getRequestHeaders().contains("If-Modified-Since");
        if (conditional && Conditional.isNotModified(method, new ExchangeHeaders(exchange.getRequestHeaders()),
                Headers.ofStored(entry.headers()))) {
            exchange.setStatusCode(StatusCodes.NOT_MODIFIED);
            for (CachedResponse.Header header : entry.headers()) {
                if (NOT_MODIFIED_HEADERS.contains(header.name().toLowerCase(Locale.ROOT))) {
                    out.add(HttpString.tryFromString(header.name()), header.value());
                }
            }
            mark(out, entry, label, nowMillis);
            exchange.endExchange();
            return;
        }
        exchange.setStatusCode(entry.status());
        addHeaders(out, entry.headers());
        mark(out, entry, label, nowMillis);
        exchange.setResponseContentLength(entry.bodyLength());
        if (entry.bodyLength() == 0) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(entry.bodyBuffer());
        }
    }

    static void addHeaders(HeaderMap out, List<CachedResponse.Header> headers) {
        for (CachedResponse.Header header : headers) {
            out.add(HttpString.tryFromString(header.name()), header.value());
        }
    }

    private static void mark(HeaderMap out, CachedResponse entry, String label, long nowMillis) {
        out.put(AGE, Freshness.ageSeconds(entry.storedAtMillis(), nowMillis));
        out.put(X_CACHE, label);
    }
}
