package io.gridgate.node.pipeline;

import io.gridgate.node.config.CorsConfig;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A route's CORS policy, compiled once from its {@link CorsConfig}: which origins may call the
 * route, what their preflights may ask for, and the {@code Access-Control-*} headers that say so.
 * Origins are matched with a set lookup and, for {@code https://*.example.com} patterns, a prefix
 * and suffix test; no regex runs per request. Pure: it reads strings and writes a {@link HeaderMap}.
 *
 * <p>With {@code allowOrigins: ["*"]} every response of the route carries {@code
 * Access-Control-Allow-Origin: *}, with or without an {@code Origin}, so it does not vary by origin
 * and caches may share it. Otherwise the allowed origin is echoed and every response, allowed or
 * not, says {@code Vary: Origin}, so no cache hands one origin's answer to another.
 */
public final class CorsPolicy {

    static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
    static final HttpString ALLOW_CREDENTIALS = new HttpString("Access-Control-Allow-Credentials");
    static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
    static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
    static final HttpString EXPOSE_HEADERS = new HttpString("Access-Control-Expose-Headers");
    static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");
    private static final String CORS_PREFIX = "access-control-";
    private static final String REFUSED = "CORS preflight refused: ";

    /** The answer to a preflight: allowed, or refused with the reason the 403 gives. */
    public record PreflightAnswer(boolean allowed, String refusal) {

        static final PreflightAnswer ALLOWED = new PreflightAnswer(true, null);

        static PreflightAnswer refused(String why) {
            return new PreflightAnswer(false, REFUSED + why);
        }
    }

    private final boolean anyOrigin;
    private final Set<String> exactOrigins;
    /** {@code https://} of {@code https://*.example.com:8443}, and its {@code .example.com:8443}. */
    private final String[] patternPrefixes;
    private final String[] patternSuffixes;
    private final Set<String> methods;
    private final Set<String> allowHeaders;
    private final boolean credentials;
    private final String methodsValue;
    private final String allowHeadersValue;
    private final String exposeHeadersValue;
    private final String maxAgeValue;

    private CorsPolicy(CorsConfig config) {
        this.anyOrigin = config.allowOrigins().contains(CorsConfig.ANY_ORIGIN);
        this.exactOrigins = new HashSet<>();
        List<String> prefixes = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        for (String origin : config.allowOrigins()) {
            int wildcard = origin.indexOf("://*.");
            if (wildcard < 0) {
                exactOrigins.add(origin);
            } else {
                prefixes.add(origin.substring(0, wildcard + 3));
                suffixes.add(origin.substring(wildcard + 4));
            }
        }
        this.patternPrefixes = prefixes.toArray(String[]::new);
        this.patternSuffixes = suffixes.toArray(String[]::new);
        this.methods = Set.copyOf(config.allowMethods());
        this.allowHeaders = new HashSet<>();
        config.allowHeaders().forEach(name -> allowHeaders.add(name.toLowerCase(Locale.ROOT)));
        this.credentials = config.allowCredentials();
        this.methodsValue = String.join(", ", config.allowMethods());
        this.allowHeadersValue = String.join(", ", config.allowHeaders());
        this.exposeHeadersValue = String.join(", ", config.exposeHeaders());
        this.maxAgeValue = Long.toString(config.maxAge().toSeconds());
    }

    /** Compiles a validated config: origins lower-case, {@code *} alone and never with credentials. */
    public static CorsPolicy of(CorsConfig config) {
        return new CorsPolicy(config);
    }

    /** Whether a browser page of {@code origin} may call the route; {@code null} (no Origin) never may, unless {@code *}. */
    public boolean allowsOrigin(String origin) {
        if (anyOrigin) {
            return true;
        }
        if (origin == null) {
            return false;
        }
        String lower = origin.toLowerCase(Locale.ROOT);
        if (exactOrigins.contains(lower)) {
            return true;
        }
        for (int i = 0; i < patternPrefixes.length; i++) {
            if (matchesPattern(lower, patternPrefixes[i], patternSuffixes[i])) {
                return true;
            }
        }
        return false;
    }

    /** One or more whole DNS labels in place of the {@code *}: {@code a.b} in {@code https://a.b.example.com}. */
    private static boolean matchesPattern(String origin, String prefix, String suffix) {
        int start = prefix.length();
        int end = origin.length() - suffix.length();
        if (end <= start || !origin.startsWith(prefix) || !origin.endsWith(suffix)) {
            return false;
        }
        char previous = '.';
        for (int i = start; i < end; i++) {
            char c = origin.charAt(i);
            boolean label = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-';
            if (!label && (c != '.' || previous == '.')) {
                return false;
            }
            previous = c;
        }
        return previous != '.';
    }

    /**
     * Decides a preflight: its origin, the method it asks for ({@code Access-Control-Request-Method})
     * and the headers ({@code Access-Control-Request-Headers}, comma-separated, may be {@code null}).
     */
    public PreflightAnswer preflight(String origin, String method, String requestHeaders) {
        if (!allowsOrigin(origin)) {
            return PreflightAnswer.refused("the origin is not allowed on this route");
        }
        if (!methods.contains(method)) {
            return PreflightAnswer.refused("the method is not allowed (allowed: " + methodsValue + ")");
        }
        if (requestHeaders != null && !allowsHeaders(requestHeaders)) {
            return PreflightAnswer.refused("a requested header is not allowed (allowed: "
                    + (allowHeadersValue.isEmpty() ? "none beyond the CORS-safelisted" : allowHeadersValue) + ")");
        }
        return PreflightAnswer.ALLOWED;
    }

    private boolean allowsHeaders(String requested) {
        int start = 0;
        while (start <= requested.length()) {
            int comma = requested.indexOf(',', start);
            int end = comma < 0 ? requested.length() : comma;
            String name = requested.substring(start, end).trim();
            if (!name.isEmpty() && !allowHeaders.contains(name.toLowerCase(Locale.ROOT))) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    /** The headers of an allowed preflight's answer. */
    public void writePreflight(String origin, HeaderMap response) {
        writeOrigin(origin, response);
        response.put(ALLOW_METHODS, methodsValue);
        if (!allowHeadersValue.isEmpty()) {
            response.put(ALLOW_HEADERS, allowHeadersValue);
        }
        response.put(MAX_AGE, maxAgeValue);
    }

    /**
     * Puts the policy's headers on a response to an actual (non-preflight) request, replacing any
     * {@code Access-Control-*} header the upstream sent. A disallowed origin gets none: the browser
     * then keeps the response from the page.
     */
    public void applyTo(HeaderMap response, String origin) {
        removeCorsHeaders(response);
        if (!allowsOrigin(origin)) {
            varyOnOrigin(response);
            return;
        }
        writeOrigin(origin, response);
        if (!exposeHeadersValue.isEmpty()) {
            response.put(EXPOSE_HEADERS, exposeHeadersValue);
        }
    }

    private void writeOrigin(String origin, HeaderMap response) {
        if (anyOrigin) {
            response.put(ALLOW_ORIGIN, CorsConfig.ANY_ORIGIN);
            return;
        }
        response.put(ALLOW_ORIGIN, origin);
        varyOnOrigin(response);
        if (credentials) {
            response.put(ALLOW_CREDENTIALS, "true");
        }
    }

    private void varyOnOrigin(HeaderMap response) {
        if (anyOrigin) {
            return;
        }
        HeaderValues vary = response.get(Headers.VARY);
        if (vary != null) {
            for (String value : vary) {
                if (containsToken(value, "*") || containsToken(value, Headers.ORIGIN_STRING)) {
                    return;
                }
            }
        }
        response.add(Headers.VARY, Headers.ORIGIN_STRING);
    }

    /** Whether a comma-separated header value lists {@code token}, ignoring case. */
    private static boolean containsToken(String value, String token) {
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            while (start < end && value.charAt(start) == ' ') {
                start++;
            }
            int last = end;
            while (last > start && value.charAt(last - 1) == ' ') {
                last--;
            }
            if (last - start == token.length() && value.regionMatches(true, start, token, 0, token.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** Removes every {@code Access-Control-*} header; allocates nothing when there is none. */
    private static void removeCorsHeaders(HeaderMap response) {
        HttpString found;
        do {
            found = null;
            for (long it = response.fastIterateNonEmpty(); it != -1L; it = response.fiNextNonEmpty(it)) {
                HttpString name = response.fiCurrent(it).getHeaderName();
                if (name.length() > CORS_PREFIX.length()
                        && name.toString().regionMatches(true, 0, CORS_PREFIX, 0, CORS_PREFIX.length())) {
                    found = name;
                    break;
                }
            }
            if (found != null) {
                response.remove(found);
            }
        } while (found != null);
    }
}
