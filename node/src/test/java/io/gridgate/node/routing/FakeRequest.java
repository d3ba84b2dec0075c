package io.gridgate.node.routing;

import java.util.HashMap;
import java.util.Map;

/** A request for the pure matching tests; build with {@code get("/x").header(...)}. */
final class FakeRequest implements RequestView {

    private final String method;
    private final String path;
    private String host = "";
    private final Map<String, String> headers = new HashMap<>();
    private final Map<String, String> query = new HashMap<>();

    private FakeRequest(String method, String path) {
        this.method = method;
        this.path = path;
    }

    static FakeRequest get(String path) {
        return new FakeRequest("GET", path);
    }

    static FakeRequest request(String method, String path) {
        return new FakeRequest(method, path);
    }

    FakeRequest host(String value) {
        host = value;
        return this;
    }

    FakeRequest header(String name, String value) {
        headers.put(name.toLowerCase(), value);
        return this;
    }

    FakeRequest query(String name, String value) {
        query.put(name, value);
        return this;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String header(String name) {
        return headers.get(name.toLowerCase());
    }

    @Override
    public String query(String name) {
        return query.get(name);
    }
}
