package io.gridgate.node.cache;

import io.gridgate.node.auth.Identity;
import io.gridgate.node.routing.ExchangeRequestView;
import io.gridgate.node.routing.RouteMatch;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

import java.util.Collection;
import java.util.List;

/**
 * What the cache needs of one GET or HEAD request, worked out once. HEAD shares GET's entries: a
 * stored GET answers it, without the body.
 *
 * @param method       {@code GET} or {@code HEAD}
 * @param credentialed whether it carried an {@code Authorization} header or a verified credential
 * @param primaryKey   the key without {@code Vary}: where the response, or its variant index, is
 */
record CacheRequest(CachePolicy policy, String method, ExchangeHeaders headers, String host, String path,
                    String query, String resource, String consumer, boolean credentialed, String primaryKey,
                    long totalTimeoutMillis) {

    static CacheRequest of(HttpServerExchange exchange, CachePolicy policy) {
        String method = exchange.getRequestMethod().equals(Methods.HEAD) ? "HEAD" : "GET";
        ExchangeHeaders headers = new ExchangeHeaders(exchange.getRequestHeaders());
        // The Host as sent, port included: the upstream sees it (and X-Forwarded-Host) as sent, and
        // may build links from it, so two spellings must not share an entry.
        String host = exchange.getHostAndPort();
        String path = new ExchangeRequestView(exchange).path();
        String query = exchange.getQueryString();
        Identity identity = exchange.getAttachment(Identity.KEY);
        String consumer = identity == null ? null : identity.consumer();
        boolean credentialed = identity != null || headers.contains("Authorization");
        String primaryKey = policy.key("GET", host, path, query, headers, List.of(), consumer);
        long total = exchange.getAttachment(RouteMatch.KEY).route().config().timeouts().total().toMillis();
        return new CacheRequest(policy, method, headers, host, path, query, CacheResource.of(path, query), consumer,
                credentialed, primaryKey, total);
    }

    /** The key of the variant for these {@code Vary} names. */
    String key(Collection<String> vary) {
        return vary.isEmpty() ? primaryKey : policy.key("GET", host, path, query, headers, vary, consumer);
    }

    boolean isHead() {
        return method.equals("HEAD");
    }
}
