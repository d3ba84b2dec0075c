package io.gridgate.node.pipeline;

import io.gridgate.node.config.ResponseHeadersConfig;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;

import java.util.Map;

/**
 * Headers to remove from and set on a response, compiled once from {@link ResponseHeadersConfig}
 * into arrays of {@link HttpString}, so applying them allocates nothing.
 */
public final class ResponseHeaders {

    /** Changes nothing. */
    public static final ResponseHeaders NONE = new ResponseHeaders(new HttpString[0], new HttpString[0], new String[0]);

    private final HttpString[] remove;
    private final HttpString[] setNames;
    private final String[] setValues;

    private ResponseHeaders(HttpString[] remove, HttpString[] setNames, String[] setValues) {
        this.remove = remove;
        this.setNames = setNames;
        this.setValues = setValues;
    }

    public static ResponseHeaders of(ResponseHeadersConfig config) {
        if (config.isEmpty()) {
            return NONE;
        }
        HttpString[] remove = config.remove().stream().map(HttpString::new).toArray(HttpString[]::new);
        HttpString[] names = new HttpString[config.set().size()];
        String[] values = new String[names.length];
        int i = 0;
        for (Map.Entry<String, String> entry : config.set().entrySet()) {
            names[i] = new HttpString(entry.getKey());
            values[i++] = entry.getValue();
        }
        return new ResponseHeaders(remove, names, values);
    }

    /** Removes, then sets: a header both removed and set ends up with the set value only. */
    public void applyTo(HeaderMap headers) {
        for (HttpString name : remove) {
            headers.remove(name);
        }
        for (int i = 0; i < setNames.length; i++) {
            headers.put(setNames[i], setValues[i]);
        }
    }
}
