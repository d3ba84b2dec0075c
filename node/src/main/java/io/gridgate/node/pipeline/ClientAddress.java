package io.gridgate.node.pipeline;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The client's address, for IP rules, rate limits, concurrency limits and hashing. When the
 * connection comes from a trusted proxy, the client is the rightmost {@code X-Forwarded-For} entry
 * that is not itself a trusted proxy; entries left of it were written by whoever sent the request
 * and prove nothing. (Undertow's own handler trusts the leftmost, which any client can forge.) An
 * entry may carry a port or IPv6 brackets ({@code 192.0.2.1:5000}, {@code [2001:db8::1]:443}); the
 * address is kept in one canonical text form, so that spellings of one address share one rate-limit
 * key. {@code Forwarded} (RFC 7239) is not read.
 */
public final class ClientAddress implements HttpHandler {

    /** The resolved client: canonical text, and the address, {@code null} when the entry is not an IP. */
    private record Client(String text, InetAddress address) {
    }

    private static final AttachmentKey<Client> KEY = AttachmentKey.create(Client.class);
    private static final AttachmentKey<String> PEER_TEXT = AttachmentKey.create(String.class);

    private final IpRanges trusted;
    private final HttpHandler next;

    public ClientAddress(IpRanges trusted, HttpHandler next) {
        this.trusted = trusted;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        InetAddress peer = peer(exchange);
        if (peer != null && trusted.contains(peer.getAddress())) {
            HeaderValues forwardedFor = exchange.getRequestHeaders().get(Headers.X_FORWARDED_FOR);
            String text = resolve(peer.getHostAddress(), forwardedFor, trusted);
            exchange.putAttachment(KEY, new Client(text, IpRanges.address(text)));
        }
        next.handleRequest(exchange);
    }

    /** The resolved client address as text; the connection's peer unless a trusted proxy said otherwise. */
    public static String of(HttpServerExchange exchange) {
        Client resolved = exchange.getAttachment(KEY);
        if (resolved != null) {
            return resolved.text();
        }
        // Once per connection: formatting an address is not free, and logs and spans ask per request.
        return peerText(exchange);
    }

    /** True when a trusted proxy named the client, which may then differ from the connection's peer. */
    public static boolean isForwarded(HttpServerExchange exchange) {
        return exchange.getAttachment(KEY) != null;
    }

    /** The connection's peer address as text, formatted once per connection; empty when there is none. */
    public static String peerText(HttpServerExchange exchange) {
        String text = exchange.getConnection().getAttachment(PEER_TEXT);
        if (text == null) {
            InetAddress peer = peer(exchange);
            text = peer == null ? "" : peer.getHostAddress();
            exchange.getConnection().putAttachment(PEER_TEXT, text);
        }
        return text;
    }

    /**
     * The resolved client address; {@code null} when it is unknown, because the forwarded entry that
     * names the client is not an IP address ({@code unknown}, an obfuscated name), or there is no peer.
     */
    public static InetAddress address(HttpServerExchange exchange) {
        Client resolved = exchange.getAttachment(KEY);
        return resolved != null ? resolved.address() : peer(exchange);
    }

    /** Walks the forwarded chain from the right, skipping trusted proxies; pure, for tests. */
    static String resolve(String peer, HeaderValues forwardedFor, IpRanges trusted) {
        if (forwardedFor == null) {
            return peer;
        }
        String leftmost = peer;
        for (int v = forwardedFor.size() - 1; v >= 0; v--) {
            String[] hops = forwardedFor.get(v).split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].trim();
                if (hop.isEmpty()) {
                    continue;
                }
                String host = host(hop);
                InetAddress address = IpRanges.address(host);
                if (address == null) {
                    return hop; // not an address: the client is unknown, and no proxy left of it is believed
                }
                if (!trusted.contains(address.getAddress())) {
                    return address.getHostAddress();
                }
                leftmost = address.getHostAddress();
            }
        }
        return leftmost;
    }

    /** The address part of a forwarded entry: without IPv6 brackets and without a port. */
    static String host(String hop) {
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            return close < 0 ? hop : hop.substring(1, close);
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && hop.indexOf(':', colon + 1) < 0 && isPort(hop.substring(colon + 1))) {
            return hop.substring(0, colon);
        }
        return hop;
    }

    private static boolean isPort(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static InetAddress peer(HttpServerExchange exchange) {
        InetSocketAddress source = exchange.getSourceAddress();
        return source == null ? null : source.getAddress();
    }
}
