package io.gridgate.node.metrics;

import io.undertow.util.HttpString;
import io.undertow.util.Methods;

import java.util.List;

/**
 * The fixed label values request metrics use, so that what a client sends cannot grow the number of
 * series: methods outside the usual seven become {@code other}, statuses become their class. Pure
 * functions from a request's facts to an index into each list.
 */
final class LabelValues {

    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other");
    /** {@code other} is for a status outside 100-599, which only a misbehaving upstream sends. */
    static final List<String> STATUS_CLASSES = List.of("1xx", "2xx", "3xx", "4xx", "5xx", "other");
    /** The {@code X-Cache} values the response cache writes. */
    static final List<String> CACHE_RESULTS = List.of("HIT", "MISS", "STALE", "BYPASS");

    private static final HttpString[] KNOWN_METHODS =
            {Methods.GET, Methods.HEAD, Methods.POST, Methods.PUT, Methods.PATCH, Methods.DELETE, Methods.OPTIONS};

    private LabelValues() {
    }

    /** The index of the method's label in {@link #METHODS}. */
    static int method(HttpString method) {
        for (int i = 0; i < KNOWN_METHODS.length; i++) {
            if (KNOWN_METHODS[i].equals(method)) {
                return i;
            }
        }
        return KNOWN_METHODS.length;
    }

    /** The index of the status's class in {@link #STATUS_CLASSES}. */
    static int statusClass(int status) {
        return status >= 100 && status <= 599 ? status / 100 - 1 : STATUS_CLASSES.size() - 1;
    }

    /** The index of an {@code X-Cache} value in {@link #CACHE_RESULTS}, or -1 when it is none of them. */
    static int cacheResult(String xCache) {
        return xCache == null ? -1 : CACHE_RESULTS.indexOf(xCache);
    }
}
