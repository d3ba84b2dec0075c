package io.gridgate.node.accesslog;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which query parameters carry credentials, and the query string with their values replaced by
 * {@code REDACTED}. Names compare without case and after percent-decoding, as the upstream would read
 * them, so {@code Access%5FToken} is caught too. Pure, for tests.
 */
public final class QueryRedaction {

    /** What a redacted value is replaced with. */
    static final String REDACTED = "REDACTED";

    /** Parameter names that carry tokens, keys or signatures in common APIs. */
    static final Set<String> COMMON = Set.of("access_token", "id_token", "refresh_token", "token", "api_key",
            "apikey", "key", "password", "passwd", "secret", "client_secret", "signature", "sig", "x-amz-signature",
            "x-amz-credential", "x-amz-security-token", "auth", "authorization", "code");

    private final Set<String> names;

    private QueryRedaction(Set<String> names) {
        this.names = names;
    }

    /** The common names and {@code configured} ones (the query parameters auth reads tokens and API keys from). */
    public static QueryRedaction of(Collection<String> configured) {
        Set<String> names = new TreeSet<>(COMMON);
        configured.forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
        return new QueryRedaction(Set.copyOf(names));
    }

    /** {@code query} (without {@code ?}) with the values of sensitive parameters replaced; unchanged when none is. */
    String redact(String query) {
        if (query.isEmpty()) {
            return query;
        }
        StringBuilder out = null;
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            int equals = query.indexOf('=', start);
            boolean hasValue = equals >= 0 && equals < end;
            String name = query.substring(start, hasValue ? equals : end);
            if (hasValue && equals + 1 < end && isSensitive(name)) {
                if (out == null) {
                    out = new StringBuilder(query.length()).append(query, 0, start);
                }
                out.append(name).append('=').append(REDACTED);
            } else if (out != null) {
                out.append(query, start, end);
            }
            if (end < query.length() && out != null) {
                out.append('&');
            }
            start = end + 1;
        }
        return out == null ? query : out.toString();
    }

    private boolean isSensitive(String rawName) {
        String name = rawName;
        if (name.indexOf('%') >= 0 || name.indexOf('+') >= 0) {
            try {
                name = URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return true; // a name that does not decode could be anything: hide its value
            }
        }
        return names.contains(name.strip().toLowerCase(Locale.ROOT));
    }
}
