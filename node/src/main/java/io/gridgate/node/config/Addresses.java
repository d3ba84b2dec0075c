package io.gridgate.node.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Syntax checks for host names, IP literals, member addresses and URLs. Nothing here resolves a
 * name: validation must give the same answer on every node, with or without DNS.
 */
final class Addresses {

    static final String BIND_ADDRESS = "an IP address or host name";
    static final String MEMBER = "a host or host:port with a port from 1 to 65535";
    static final String DNS_NAME = "a DNS name such as gridgate-members.default.svc.cluster.local";
    static final String HOST_PATTERN = "a host name such as api.example.com or *.example.com, without a port";
    static final String UPSTREAM_URL =
            "an absolute http:// or https:// URL with a host and no user-info, query or fragment,"
                    + " or service:NAME";
    static final String LINK_URL = "an absolute http:// or https:// URL";

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private Addresses() {
    }

    static ValueType<String> bindAddress() {
        return ValueType.text(BIND_ADDRESS, text -> isHostName(text) || isIpv6(text) ? text : null);
    }

    static ValueType<String> dnsName() {
        return ValueType.text(DNS_NAME, text -> isHostName(text) ? text : null);
    }

    static ValueType<String> member() {
        return ValueType.text(MEMBER, text -> isMember(text) ? text : null);
    }

    /** Lower-cased, since host matching is case-insensitive and the matcher should not re-fold per request. */
    static ValueType<String> hostPattern() {
        return ValueType.text(HOST_PATTERN, text -> {
            String host = text.toLowerCase(Locale.ROOT);
            String name = host.startsWith("*.") ? host.substring(2) : host;
            return isHostName(name) ? host : null;
        });
    }

    /** An {@code http(s)://} URL, or {@code service:<name>} for a service that registers itself. */
    static ValueType<String> upstreamUrl() {
        return ValueType.text(UPSTREAM_URL, text -> {
            if (text.startsWith(RouteConfig.SERVICE_PREFIX)) {
                String name = text.substring(RouteConfig.SERVICE_PREFIX.length());
                return name.matches("[a-z0-9][a-z0-9._-]{0,63}") ? text : null;
            }
            URI uri = httpUri(text);
            return uri != null && uri.getRawUserInfo() == null && uri.getRawQuery() == null
                    && uri.getRawFragment() == null ? text : null;
        });
    }

    static ValueType<String> linkUrl() {
        return ValueType.text(LINK_URL, text -> httpUri(text) != null ? text : null);
    }

    /** A name of dot-separated labels, or a dotted-quad IPv4 address; all-numeric names must be the latter. */
    static boolean isHostName(String text) {
        if (text.isEmpty() || text.length() > 253) {
            return false;
        }
        String[] labels = text.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return !DIGITS.matcher(labels[labels.length - 1]).matches() || isIpv4(labels);
    }

    private static boolean isIpv4(String[] labels) {
        if (labels.length != 4) {
            return false;
        }
        for (String label : labels) {
            if (!DIGITS.matcher(label).matches() || label.length() > 3 || Integer.parseInt(label) > 255) {
                return false;
            }
        }
        return true;
    }

    /** {@link URI} checks IPv6 literal syntax without the name lookups {@code InetAddress} may do. */
    static boolean isIpv6(String text) {
        if (text.indexOf(':') < 0 || text.indexOf('[') >= 0 || text.indexOf(']') >= 0) {
            return false;
        }
        try {
            return new URI("http://[" + text + "]/").getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isMember(String text) {
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || !isIpv6(text.substring(1, close))) {
                return false;
            }
            String rest = text.substring(close + 1);
            return rest.isEmpty() || (rest.startsWith(":") && isMemberPort(rest.substring(1)));
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return isHostName(text);
        }
        return isHostName(text.substring(0, colon)) && isMemberPort(text.substring(colon + 1));
    }

    private static boolean isMemberPort(String port) {
        return DIGITS.matcher(port).matches() && port.length() <= 5
                && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
    }

    /** The URL when it is absolute http(s) with a server-based authority and a valid port, else null. */
    private static URI httpUri(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
            return http && uri.getHost() != null && uri.getPort() <= 65535 && uri.getPort() != 0 ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
