package io.gridgate.node.pipeline;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The client's address, for rate limits, concurrency limits and hashing. When the connection comes
 * from a trusted proxy, the client is the rightmost {@code X-Forwarded-For} entry that is not itself
 * a trusted proxy; entries left of it were written by whoever sent the request and prove nothing.
 * (Undertow's own handler trusts the leftmost, which any client can forge.)
 */
public final class ClientAddress implements HttpHandler {

    private static final AttachmentKey<String> KEY = AttachmentKey.create(String.class);

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
            exchange.putAttachment(KEY, resolve(peer.getHostAddress(), exchange.getRequestHeaders().get(Headers.X_FORWARDED_FOR), trusted));
        }
        next.handleRequest(exchange);
    }

    /** The resolved client address; the connection's peer unless a trusted proxy said otherwise. */
    public static String of(HttpServerExchange exchange) {
        String resolved = exchange.getAttachment(KEY);
        if (resolved != null) {
            return resolved;
        }
        InetAddress peer = peer(exchange);
        return peer == null ? "" : peer.getHostAddress();
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
                if (!trusted.containsLiteral(hop)) {
                    return hop;
                }
                leftmost = hop;
            }
        }
        return leftmost;
    }

    private static InetAddress peer(HttpServerExchange exchange) {
        InetSocketAddress source = exchange.getSourceAddress();
        return source == null ? null : source.getAddress();
    }
}
