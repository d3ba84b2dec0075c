package io.gridgate.node.bff;

import io.gridgate.node.auth.Identity;
import io.gridgate.node.config.ClientConfig;
import io.gridgate.node.config.ClientConfig.Edits;
import io.gridgate.node.routing.RouteClient;
import io.gridgate.node.routing.RouteMatch;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Finds which client of the route a request comes from (the first whose header or claim matches,
 * after authentication, so a claim can decide) and edits its headers and query parameters as that
 * client's config says, before rate limits, the cache and the upstream see them. A composite route
 * shapes its answer for the same client ({@link #CLIENT}).
 */
public final class ClientHandler implements HttpHandler {

    /** The client a request was found to be, for the composition to shape its answer. */
    public static final AttachmentKey<RouteClient> CLIENT = AttachmentKey.create(RouteClient.class);

    private final HttpHandler next;

    public ClientHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        RouteMatch match = exchange.getAttachment(RouteMatch.KEY);
        List<RouteClient> clients = match == null ? List.of() : match.route().clients();
        if (!clients.isEmpty()) {
            RouteClient client = choose(exchange, clients);
            if (client != null) {
                exchange.putAttachment(CLIENT, client);
                editHeaders(exchange.getRequestHeaders(), client.config().headers());
                editQuery(exchange, client.config().query());
            }
        }
        next.handleRequest(exchange);
    }

    private static RouteClient choose(HttpServerExchange exchange, List<RouteClient> clients) {
        for (RouteClient client : clients) {
            if (client.config().when().map(when -> holds(exchange, when)).orElse(true)) {
                return client;
            }
        }
        return null;
    }

    private static boolean holds(HttpServerExchange exchange, ClientConfig.When when) {
        if (when.source() == ClientConfig.When.Source.HEADER) {
            return when.value().equals(exchange.getRequestHeaders().getFirst(when.name()));
        }
        Identity identity = exchange.getAttachment(Identity.KEY);
        Object claim = identity == null ? null : identity.claims().get(when.name());
        if (claim instanceof Collection<?> values) {
            return values.stream().anyMatch(v -> when.value().equals(String.valueOf(v)));
        }
        return claim != null && when.value().equals(String.valueOf(claim));
    }

    private static void editHeaders(HeaderMap headers, Edits edits) {
        if (edits.isEmpty()) {
            return;
        }
        edits.remove().forEach(headers::remove);
        edits.rename().forEach((from, to) -> {
            Collection<String> values = headers.remove(from);
            if (values != null) {
                headers.putAll(new HttpString(to), values);
            }
        });
        edits.add().forEach((name, value) -> headers.put(new HttpString(name), value));
    }

    /** Rewrites the query string the proxy forwards and the parameters the composition reads, alike. */
    private static void editQuery(HttpServerExchange exchange, Edits edits) {
        if (edits.isEmpty()) {
            return;
        }
        List<String[]> pairs = new ArrayList<>();
        String query = exchange.getQueryString();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                pairs.add(eq < 0 ? new String[] {pair, null} : new String[] {pair.substring(0, eq), pair.substring(eq + 1)});
            }
        }
        pairs.removeIf(pair -> edits.remove().contains(decode(pair[0])) || edits.add().containsKey(decode(pair[0])));
        for (String[] pair : pairs) {
            String renamed = edits.rename().get(decode(pair[0]));
            if (renamed != null) {
                pair[0] = encode(renamed);
            }
        }
        edits.add().forEach((name, value) -> pairs.add(new String[] {encode(name), encode(value)}));
        StringBuilder rebuilt = new StringBuilder();
        Map<String, Deque<String>> parameters = exchange.getQueryParameters();
        parameters.clear();
        for (String[] pair : pairs) {
            if (rebuilt.length() > 0) {
                rebuilt.append('&');
            }
            rebuilt.append(pair[0]);
            if (pair[1] != null) {
                rebuilt.append('=').append(pair[1]);
            }
            parameters.computeIfAbsent(decode(pair[0]), k -> new ArrayDeque<>()).add(pair[1] == null ? "" : decode(pair[1]));
        }
        exchange.setQueryString(rebuilt.toString());
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // a malformed escape stays as sent
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
