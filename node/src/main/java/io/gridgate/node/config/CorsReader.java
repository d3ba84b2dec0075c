package io.gridgate.node.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads a route's {@code cors}: the origins that may call it and what their preflights may ask for. */
final class CorsReader {

    static final String[] KEYS = {"allowOrigins", "allowMethods", "allowHeaders", "exposeHeaders", "allowCredentials",
        "maxAge"};

    static final String ORIGIN = "an origin such as https://app.example.com (scheme, host and port only), "
            + "a pattern such as https://*.example.com, or \"*\"";
    private static final String ORIGINS = "a sequence of origins such as [\"https://app.example.com\"]";
    private static final String METHODS = "a sequence of methods such as [GET, POST]";
    private static final String HEADERS = "a sequence of header names such as [Authorization, Content-Type]";
    private static final ValueType<String> TOKEN = ValueTypes.upperCaseToken("an HTTP method such as GET");
    // "*" is a token, but browsers read it in Access-Control-Allow-Methods as "any method".
    private static final ValueType<String> METHOD = ValueType.text("an HTTP method such as GET",
            text -> text.contains("*") ? null : TOKEN.check(YamlNode.Scalar.plain(text)).value());

    private CorsReader() {
    }

    /** @param routeMethods the route's {@code match.methods}, the default of {@code allowMethods} */
    static Optional<CorsConfig> read(Section s, List<String> routeMethods) {
        if (!s.present()) {
            return Optional.empty();
        }
        if (!s.has("allowOrigins")) {
            s.missing("allowOrigins", "the origins that may call this route, such as [\"https://app.example.com\"]");
        }
        List<String> origins = s.list("allowOrigins", ValueType.text(ORIGIN, CorsReader::origin), ORIGINS, null);
        if (s.has("allowOrigins") && origins.isEmpty() && !s.failed("allowOrigins")) {
            s.reject("allowOrigins", "at least one origin");
        } else if (origins.size() > 1 && origins.contains(CorsConfig.ANY_ORIGIN)) {
            s.reject("allowOrigins", "\"*\" alone, or origins without it");
        }
        List<String> methods = s.has("allowMethods") ? s.list("allowMethods", METHOD, METHODS, null)
                : routeMethods.isEmpty() ? CorsConfig.DEFAULT_METHODS : routeMethods;
        if (methods.isEmpty() && !s.failed("allowMethods")) {
            s.reject("allowMethods", "at least one method");
        }
        boolean credentials = s.get("allowCredentials", ValueTypes.bool(), false);
        if (credentials && origins.equals(List.of(CorsConfig.ANY_ORIGIN))) {
            s.reject("allowCredentials", "false, since allowOrigins is \"*\"; list the origins that may send credentials");
        }
        return Optional.of(new CorsConfig(
                origins,
                methods,
                s.list("allowHeaders", HeaderFields.listedName(), HEADERS, null),
                s.list("exposeHeaders", HeaderFields.listedName(), HEADERS, null),
                credentials,
                s.get("maxAge", Durations.typeOrZero(), CorsConfig.DEFAULT_MAX_AGE)));
    }

    /**
     * The origin as browsers serialize it (lower case, no default port), a {@code *.} pattern in the
     * same form, or {@code *}; {@code null} when the text is none of these, a path or slash included.
     */
    static String origin(String text) {
        if (text.equals(CorsConfig.ANY_ORIGIN)) {
            return text;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        int separator = lower.indexOf("://");
        String scheme = separator < 0 ? "" : lower.substring(0, separator);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return null;
        }
        String authority = lower.substring(separator + 3);
        int portStart = authority.startsWith("[") ? authority.indexOf(']') + 1 : authority.lastIndexOf(':');
        if (portStart == 0) {
            return null;
        }
        String host = portStart < 0 || portStart == authority.length() ? authority : authority.substring(0, portStart);
        String port = portStart < 0 || portStart == authority.length() ? "" : authority.substring(portStart);
        if (!validHost(host) || !validPort(port)) {
            return null;
        }
        boolean defaultPort = scheme.equals("http") && port.equals(":80") || scheme.equals("https") && port.equals(":443");
        return scheme + "://" + host + (defaultPort ? "" : port);
    }

    private static boolean validHost(String host) {
        if (host.startsWith("[")) {
            return host.endsWith("]") && Addresses.isIpv6(host.substring(1, host.length() - 1));
        }
        if (host.startsWith("*.")) {
            // At least two labels after the wildcard: https://*.com would admit half the web.
            String suffix = host.substring(2);
            return suffix.indexOf('.') > 0 && Addresses.isHostName(suffix);
        }
        return Addresses.isHostName(host);
    }

    private static boolean validPort(String port) {
        if (port.isEmpty()) {
            return true;
        }
        String digits = port.substring(1);
        return port.charAt(0) == ':' && digits.matches("[0-9]{1,5}") && Integer.parseInt(digits) >= 1
                && Integer.parseInt(digits) <= 65535;
    }
}
