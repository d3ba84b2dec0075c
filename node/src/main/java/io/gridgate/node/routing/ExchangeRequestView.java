package io.gridgate.node.routing;

import io.undertow.server.HttpServerExchange;

import java.util.Deque;
import java.util.Locale;

/** A {@link RequestView} over a live Undertow exchange. */
public record ExchangeRequestView(HttpServerExchange exchange) implements RequestView {

    @Override
    public String host() {
        String host = exchange.getHostName();
        return host == null ? "" : host.toLowerCase(Locale.ROOT);
    }

    @Override
    public String path() {
        return rawPath(exchange);
    }

    @Override
    public String method() {
        return exchange.getRequestMethod().toString();
    }

    @Override
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    @Override
    public String query(String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null ? null : values.peekFirst();
    }

    /** The request path as the client sent it, also for absolute-form request targets. */
    public static String rawPath(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        if (exchange.isHostIncludedInRequestURI()) {
            int scheme = uri.indexOf("//");
            int slash = scheme < 0 ? -1 : uri.indexOf('/', scheme + 2);
            return slash < 0 ? "/" : uri.substring(slash);
        }
        return uri.isEmpty() ? "/" : uri;
    }
}
