package io.gridgate.node.cache;

import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;

import java.util.List;

/** {@link Headers} over an exchange's live header map, without copying it. */
record ExchangeHeaders(HeaderMap map) implements Headers {

    @Override
    public String first(String name) {
        return map.getFirst(name);
    }

    @Override
    public List<String> all(String name) {
        HeaderValues values = map.get(name);
        return values == null ? List.of() : values;
    }

    @Override
    public boolean contains(String name) {
        return map.contains(name);
    }
}
