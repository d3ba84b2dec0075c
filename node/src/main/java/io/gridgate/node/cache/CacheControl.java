package io.gridgate.node.cache;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The directives of every {@code Cache-Control} field line (RFC 9111 §5.2): names lower-cased,
 * quoted values unquoted; when a directive repeats, its first occurrence counts.
 */
final class CacheControl {

    private static final CacheControl NONE = new CacheControl(Map.of());

    private final Map<String, String> directives;

    private CacheControl(Map<String, String> directives) {
        this.directives = directives;
    }

    static CacheControl of(Headers headers) {
        List<String> elements = HeaderLists.elements(headers.all("Cache-Control"));
        if (elements.isEmpty()) {
            return NONE;
        }
        Map<String, String> directives = new HashMap<>();
        for (String element : elements) {
            int eq = element.indexOf('=');
            String name = (eq < 0 ? element : element.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : unquote(element.substring(eq + 1).trim());
            directives.putIfAbsent(name, value);
        }
        return new CacheControl(directives);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        return value;
    }

    boolean isEmpty() {
        return directives.isEmpty();
    }

    boolean has(String directive) {
        return directives.containsKey(directive);
    }

    /**
     * The directive's delta-seconds: -1 when absent; 0 when present but not a valid number, which
     * for {@code max-age} makes the response stale, as RFC 9111 §4.2.1 encourages.
     */
    long seconds(String directive) {
        String value = directives.get(directive);
        if (value == null) {
            return -1;
        }
        return Math.max(0, HeaderLists.deltaSeconds(value));
    }

    @Override
    public String toString() {
        return directives.toString();
    }
}
