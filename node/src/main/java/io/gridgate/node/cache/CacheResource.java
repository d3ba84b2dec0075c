package io.gridgate.node.cache;

import java.util.ArrayList;
import java.util.List;

/**
 * The resource a cached response belongs to, as a purge by URL names it: the path and its query
 * parameters sorted the way the cache key sorts them, so {@code /items?b=2&a=1} and
 * {@code /items?a=1&b=2} are one resource. The query stays undecoded, as in the key.
 */
public final class CacheResource {

    private CacheResource() {
    }

    /** @param query the raw query without '?', or null or empty for none */
    public static String of(String path, String query) {
        if (query == null || query.isEmpty()) {
            return path;
        }
        List<String> params = new ArrayList<>();
        for (String param : query.split("&")) {
            if (!param.isEmpty()) {
                params.add(param);
            }
        }
        if (params.isEmpty()) {
            return path;
        }
        params.sort(CacheResource::compare);
        return path + "?" + String.join("&", params);
    }

    /** A path with an optional query, e.g. {@code /items?b=2&a=1}, in its resource form. */
    public static String ofUrl(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : of(pathAndQuery.substring(0, q), pathAndQuery.substring(q + 1));
    }

    /** By name, then by value, a parameter without '=' before one with an empty value. */
    private static int compare(String a, String b) {
        int ea = a.indexOf('=');
        int eb = b.indexOf('=');
        String na = ea < 0 ? a : a.substring(0, ea);
        String nb = eb < 0 ? b : b.substring(0, eb);
        int byName = na.compareTo(nb);
        if (byName != 0) {
            return byName;
        }
        if (ea < 0 || eb < 0) {
            return Boolean.compare(ea >= 0, eb >= 0);
        }
        return a.substring(ea + 1).compareTo(b.substring(eb + 1));
    }
}
