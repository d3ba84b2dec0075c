package io.gridgate.loadtest;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Something the generator aims at: the backend itself, or a proxy in front of it. */
interface Target extends AutoCloseable {

    /** "direct", "nginx", "gridgate", or another scenario's node route; the name used in flags, tables and JSON. */
    String name();

    InetSocketAddress address();

    /** The path every request asks for. */
    default String path() {
        return "/";
    }

    /** Where the requests go, round-robin: {@link #path()} on {@link #address()}, unless it is several nodes. */
    default List<Endpoint> endpoints() {
        return List.of(Endpoint.of(address(), path()));
    }

    /** What every request is besides where it goes: a plain GET unless the target needs headers, such as a token. */
    default RequestTemplate request() {
        return RequestTemplate.get();
    }

    /** CPU time the proxy process tree has used so far; empty for the direct target, which has no process of its own. */
    OptionalLong cpuNanos();

    /** Grid round trips the proxy has made so far; empty where they are not counted. */
    default OptionalLong gridRoundTrips() {
        return OptionalLong.empty();
    }

    /**
     * The body every 2xx answer must have, JSON compared without its whitespace (see {@link ExpectedBody}); empty if
     * bodies are not checked. An answer with another body counts as an error.
     */
    default Optional<String> expectedBody() {
        return Optional.empty();
    }

    /** Spans exported and access-log lines written so far; not counted unless the scenario observes them. */
    default Telemetry telemetry() {
        return Telemetry.NOT_COUNTED;
    }

    @Override
    void close();

    /** The backend without a proxy: the baseline the proxies are compared with. */
    static Target direct(InetSocketAddress backend) {
        return new Direct(backend);
    }

    /** See {@link Target#direct}. */
    record Direct(InetSocketAddress address) implements Target {

        @Override
        public String name() {
            return "direct";
        }

        @Override
        public OptionalLong cpuNanos() {
            return OptionalLong.empty();
        }

        @Override
        public void close() {
            // The backend belongs to the benchmark, not to this target.
        }
    }
}
