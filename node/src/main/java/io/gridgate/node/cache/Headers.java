package io.gridgate.node.cache;

import io.gridgate.cluster.CachedResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** A read-only view of request or response headers; names are case-insensitive and may repeat. */
public interface Headers {

    /** The first value of the header, or null when it is absent. */
    String first(String name);

    /** Every value of the header, one per field line, in order; empty when it is absent. */
    List<String> all(String name);

    /** Whether the header is present at all, even with an empty value. */
    default boolean contains(String name) {
        return !all(name).isEmpty();
    }

    /** No headers. */
    static Headers empty() {
        return MapHeaders.EMPTY;
    }

    /** Headers from a map of name to field values; the map is copied. */
    static Headers ofMap(Map<String, ? extends List<String>> headers) {
        Map<String, List<String>> copy = new TreeMap<>();
        headers.forEach((name, values) -> copy.computeIfAbsent(name.toLowerCase(Locale.ROOT),
                k -> new ArrayList<>()).addAll(values));
        return new MapHeaders(copy);
    }

    /** Headers from alternating names and values, e.g. {@code of("Vary", "Accept", "ETag", "\"a\"")}. */
    static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("namesAndValues: " + namesAndValues.length
                    + " strings (expected: name, value pairs)");
        }
        Map<String, List<String>> map = new TreeMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.computeIfAbsent(namesAndValues[i].toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(Objects.requireNonNull(namesAndValues[i + 1], "value"));
        }
        return new MapHeaders(map);
    }

    /** The headers of a stored response. */
    static Headers ofStored(List<CachedResponse.Header> headers) {
        Map<String, List<String>> map = new TreeMap<>();
        for (CachedResponse.Header header : headers) {
            map.computeIfAbsent(header.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(header.value());
        }
        return new MapHeaders(map);
    }
}
