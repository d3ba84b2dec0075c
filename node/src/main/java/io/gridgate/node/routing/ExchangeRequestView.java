package io.gridgate.node.routing;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;

import java.util.Deque;
import java.util.Locale;

/** A {@link RequestView} over a live Undertow exchange. */
public record ExchangeRequestView(HttpServerExchange exchange) implements RequestView {

    /**
     * The request path after normalization ({@code server.limits.normalizePaths}), set once before
     * routing; routes match it and it is what the upstream receives. Absent when normalization is off.
     */
    public static final AttachmentKey<String> NORMALIZED_PATH = AttachmentKey.create(String.class);

    @Override
    public String host() {
        String host = exchange.getHostName();
        return host == null ? "" : host.toLowerCase(Locale.ROOT);
    }

    /** The normalized path when normalization is on, otherwise the path as the client sent it. */
    @Override
    public String path() {
        String normalized = exchange.getAttachment(NORMALIZED_PATH);
        return normalized != null ? normalized : rawPath(exchange);
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
