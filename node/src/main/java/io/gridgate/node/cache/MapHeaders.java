package io.gridgate.node.cache;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** {@link Headers} over a map keyed by lower-case name; immutable. */
final class MapHeaders implements Headers {

    static final MapHeaders EMPTY = new MapHeaders(Map.of());

    private final Map<String, List<String>> byLowerName;

    MapHeaders(Map<String, List<String>> byLowerName) {
        this.byLowerName = Map.copyOf(byLowerName.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue()))));
    }

    @Override
    public String first(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? null : values.get(0);
    }

    @Override
    public List<String> all(String name) {
        return byLowerName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public String toString() {
        return byLowerName.toString();
    }
}
