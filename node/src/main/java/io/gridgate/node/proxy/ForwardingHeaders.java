package io.gridgate.node.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * Which headers cross a proxy hop (RFC 9110 section 7.6.1) and the forwarding headers the gateway
 * adds: {@code X-Forwarded-For} (appended), {@code -Proto}, {@code -Host}, and optionally an
 * RFC 7239 {@code Forwarded} element.
 */
final class ForwardingHeaders {

    static final HttpString PROXY_CONNECTION = new HttpString("Proxy-Connection");
    private static final AttachmentKey<String> CLIENT_ADDRESS = AttachmentKey.create(String.class);

    private static final Set<HttpString> HOP_BY_HOP = Set.of(
            Headers.CONNECTION, Headers.KEEP_ALIVE, PROXY_CONNECTION, Headers.TE, Headers.TRAILER,
            Headers.TRANSFER_ENCODING, Headers.UPGRADE);

    private ForwardingHeaders() {
    }

    /**
     * Copies end-to-end request headers. {@code Host} and {@code Expect} are left out: the caller
     * sets {@code Host} per route, and the gateway answers {@code 100-continue} itself. So is any
     * header with an underscore in its name, as nginx does by default: CGI-style upstreams (PHP,
     * WSGI, Rack) read {@code X_Consumer_Id} and {@code X-Consumer-Id} as one variable, and a client
     * could otherwise pass for the identity the gateway forwards.
     */
    static void copyRequest(HeaderMap from, HeaderMap to, boolean upgrade) {
        Set<HttpString> named = connectionTokens(from);
        copy(from, to, named, name -> name.equals(Headers.HOST) || name.equals(Headers.EXPECT) || hasUnderscore(name));
        if (upgrade) {
            // A WebSocket handshake is the one case where Upgrade must travel to the upstream.
            to.put(Headers.UPGRADE, from.getFirst(Headers.UPGRADE));
            to.put(Headers.CONNECTION, Headers.UPGRADE_STRING);
        }
    }

    /** Copies end-to-end response headers; a 101 keeps the {@code Upgrade} handshake. */
    static void copyResponse(HeaderMap from, HeaderMap to, boolean switchingProtocols) {
        Set<HttpString> named = connectionTokens(from);
        copy(from, to, named, name -> false);
        if (switchingProtocols && from.contains(Headers.UPGRADE)) {
            to.put(Headers.UPGRADE, from.getFirst(Headers.UPGRADE));
            to.put(Headers.CONNECTION, Headers.UPGRADE_STRING);
        }
    }

    private interface Skip {
        boolean test(HttpString name);
    }

    private static void copy(HeaderMap from, HeaderMap to, Set<HttpString> connectionNamed, Skip skip) {
        for (long it = from.fastIterateNonEmpty(); it != -1L; it = from.fiNextNonEmpty(it)) {
            HeaderValues values = from.fiCurrent(it);
            HttpString name = values.getHeaderName();
            if (HOP_BY_HOP.contains(name) || connectionNamed.contains(name) || skip.test(name)) {
                continue;
            }
            to.addAll(name, values);
        }
    }

    private static boolean hasUnderscore(HttpString name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.byteAt(i) == '_') {
                return true;
            }
        }
        return false;
    }

    /** Header names listed in {@code Connection}: they too are meant for this hop only. */
    static Set<HttpString> connectionTokens(HeaderMap headers) {
        HeaderValues connection = headers.get(Headers.CONNECTION);
        if (connection == null) {
            return Set.of();
        }
        Set<HttpString> names = new HashSet<>();
        for (String value : connection) {
            for (String token : value.split(",")) {
                String name = token.trim();
                if (!name.isEmpty()) {
                    names.add(new HttpString(name));
                }
            }
        }
        return names;
    }

    /** Adds the forwarding headers that describe the client's hop. */
    static void addForwarded(HttpServerExchange exchange, HeaderMap to, boolean rfc7239) {
        String client = clientAddress(exchange);
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        String scheme = exchange.getRequestScheme();

        String previous = joined(exchange.getRequestHeaders(), Headers.X_FORWARDED_FOR);
        to.put(Headers.X_FORWARDED_FOR, previous == null ? client : previous + ", " + client);
        to.put(Headers.X_FORWARDED_PROTO, scheme);
        if (host != null) {
            to.put(Headers.X_FORWARDED_HOST, host);
        } else {
            // An HTTP/1.0 request may come without Host: the client's own value must not pass as ours.
            to.remove(Headers.X_FORWARDED_HOST);
        }
        if (rfc7239) {
            StringBuilder element = new StringBuilder("for=");
            element.append(client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client);
            element.append(";proto=").append(scheme);
            if (host != null) {
                element.append(";host=\"").append(host.replace("\"", "")).append('"');
            }
            String earlier = joined(exchange.getRequestHeaders(), Headers.FORWARDED);
            to.put(Headers.FORWARDED, earlier == null ? element.toString() : earlier + ", " + element);
        }
    }

    /** The client's address, formatted once per connection rather than once per request. */
    private static String clientAddress(HttpServerExchange exchange) {
        ServerConnection connection = exchange.getConnection();
        String client = connection.getAttachment(CLIENT_ADDRESS);
        if (client == null) {
            InetSocketAddress source = exchange.getSourceAddress();
            InetAddress address = source == null ? null : source.getAddress();
            client = address == null ? "unknown" : address.getHostAddress();
            connection.putAttachment(CLIENT_ADDRESS, client);
        }
        return client;
    }

    private static String joined(HeaderMap headers, HttpString name) {
        HeaderValues values = headers.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.getFirst() : String.join(", ", values);
    }
}
