package io.gridgate.loadtest;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * One URL the generator sends to: the address it connects to, the {@code Host} it names and the path it asks for.
 *
 * @param address where the connections go, resolved once
 * @param authority the {@code Host} header's value
 * @param path the request target: path and query, starting with {@code /}
 */
public record Endpoint(InetSocketAddress address, String authority, String path) {

    public Endpoint {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(authority, "authority");
        if (path == null || !path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("path: " + path + " (expected: starting with /, printable ASCII)");
        }
    }

    /** {@code path} on {@code address}, named {@code host:port} in the {@code Host} header. */
    public static Endpoint of(InetSocketAddress address, String path) {
        return new Endpoint(address, address.getHostString() + ":" + address.getPort(), path);
    }

    /**
     * Checks that {@code url} is one the generator can send to: {@code http://host[:port][/path][?query]}, printable
     * ASCII. Does not resolve the host; {@link #resolve} does.
     */
    public static URI parseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(url + " (expected: a URL such as http://host:8080/path; "
                    + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            throw new IllegalArgumentException(url + " (expected: http://; the generator speaks plain HTTP/1.1)");
        }
        if (!scheme.equals("http") || uri.getHost() == null) {
            throw new IllegalArgumentException(url + " (expected: a URL such as http://host:8080/path)");
        }
        if (uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(url + " (expected: no user info and no #fragment)");
        }
        if (!url.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException(url + " (expected: printable ASCII; percent-encode the rest)");
        }
        return uri;
    }

    /** The endpoint of a URL accepted by {@link #parseUrl}; fails when the host does not resolve. */
    public static Endpoint resolve(URI url) {
        String host = url.getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host; // IPv6 literal
        int port = url.getPort() < 0 ? 80 : url.getPort();
        InetSocketAddress address = new InetSocketAddress(bare, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(url + " (expected: a host that resolves; " + host + " does not)");
        }
        String authority = url.getPort() < 0 ? host : host + ":" + port;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        return new Endpoint(address, authority, path);
    }

    /** The endpoint as a URL, the name it goes by in reports. */
    public String url() {
        return "http://" + authority + path;
    }

    @Override
    public String toString() {
        return url();
    }
}
