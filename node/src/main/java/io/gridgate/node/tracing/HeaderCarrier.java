package io.gridgate.node.tracing;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;

import java.util.ArrayList;
import java.util.List;

/** Reads propagation headers from a request and writes them to an upstream request. */
final class HeaderCarrier {

    static final TextMapGetter<HeaderMap> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HeaderMap carrier) {
            List<String> keys = new ArrayList<>(carrier.size());
            for (HttpString name : carrier.getHeaderNames()) {
                keys.add(name.toString());
            }
            return keys;
        }

        @Override
        public String get(HeaderMap carrier, String key) {
            return carrier == null ? null : carrier.getFirst(key);
        }
    };

    /** {@code put}: the client's own {@code traceparent} is replaced, not joined by a second one. */
    static final TextMapSetter<HeaderMap> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.put(HttpString.tryFromString(key), value);
        }
    };

    private HeaderCarrier() {
    }
}
