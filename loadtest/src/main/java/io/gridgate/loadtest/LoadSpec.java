package io.gridgate.loadtest;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What one generator run does: endpoints, request, connections, pacing, and the bounds that make every run stop by
 * itself.
 */
public final class LoadSpec {

    /** Safety net against a misconfigured rate or duration; a run that reaches it is flagged as capped. */
    public static final long DEFAULT_MAX_REQUESTS = 20_000_000L;
    /** Long enough for a loopback proxy under full load, short enough that a wedged run ends promptly. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final List<Endpoint> endpoints;
    private final RequestTemplate request;
    private final int connections;
    private final int threads;
    private final Pacing pacing;
    private final Duration warmup;
    private final Duration duration;
    private final long maxRequests;
    private final Duration requestTimeout;
    private final Duration progressInterval;
    private final Consumer<Progress> progressListener;
    private final ExpectedBody expectedBody;

    private LoadSpec(Builder b, List<Endpoint> endpoints) {
        this.endpoints = endpoints;
        this.request = b.request;
        this.connections = b.connections;
        this.threads = b.threads;
        this.pacing = b.pacing;
        this.warmup = b.warmup;
        this.duration = b.duration;
        this.maxRequests = b.maxRequests;
        this.requestTimeout = b.requestTimeout;
        this.progressInterval = b.progressInterval;
        this.progressListener = b.progressListener;
        this.expectedBody = b.expectedBody == null ? null : ExpectedBody.of(b.expectedBody);
    }

    /**
     * Starts a spec for one endpoint, {@code target} with the builder's {@link Builder#path path}; warm-up and
     * duration have no default and must be set.
     */
    public static Builder builder(InetSocketAddress target) {
        return new Builder(Objects.requireNonNull(target, "target"), null);
    }

    /**
     * Starts a spec whose requests go round-robin over {@code endpoints}: each generator thread gives every endpoint
     * an equal share of its connections and, at a fixed rate, every n-th due request.
     */
    public static Builder builder(List<Endpoint> endpoints) {
        return new Builder(null, List.copyOf(endpoints));
    }

    /** Where the requests go, in round-robin order; at least one. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** What every connection sends. */
    public RequestTemplate request() {
        return request;
    }

    public int connections() {
        return connections;
    }

    public int threads() {
        return threads;
    }

    public Pacing pacing() {
        return pacing;
    }

    public Duration warmup() {
        return warmup;
    }

    public Duration duration() {
        return duration;
    }

    public long maxRequests() {
        return maxRequests;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** How often the progress listener is called; null when nobody listens. */
    Duration progressInterval() {
        return progressInterval;
    }

    /** Called on the thread that runs the spec, every {@link #progressInterval()}; null when nobody listens. */
    Consumer<Progress> progressListener() {
        return progressListener;
    }

    /** What every 2xx answer's body must be, or null if bodies are not checked. */
    ExpectedBody expectedBody() {
        return expectedBody;
    }

    @Override
    public String toString() {
        return String.format("%s %s %s, %d connections on %d thread(s), %s warm-up + %s",
                pacing, request, endpoints.size() == 1 ? endpoints.get(0) : endpoints, connections, threads, warmup,
                duration);
    }

    /** Collects and validates the fields of a {@link LoadSpec}. */
    public static final class Builder {
        private final InetSocketAddress target;
        private final List<Endpoint> endpoints;
        private String path;
        private RequestTemplate request = RequestTemplate.get();
        private int connections = 32;
        private int threads = 1;
        private Pacing pacing = Pacing.closedLoop();
        private Duration warmup;
        private Duration duration;
        private long maxRequests = DEFAULT_MAX_REQUESTS;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration progressInterval;
        private Consumer<Progress> progressListener;
        private String expectedBody;

        private Builder(InetSocketAddress target, List<Endpoint> endpoints) {
            this.target = target;
            this.endpoints = endpoints;
        }

        /** The path of a one-address spec ({@code /} unless set); endpoints given as such carry their own. */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /** Method, extra headers and body; a plain GET unless set. */
        public Builder request(RequestTemplate request) {
            this.request = request;
            return this;
        }

        public Builder connections(int connections) {
            this.connections = connections;
            return this;
        }

        /** Selector threads; one per core the generator may use, the connections spread evenly over them. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder pacing(Pacing pacing) {
            this.pacing = pacing;
            return this;
        }

        /** Load that is sent but not measured, so connections, JIT and caches settle first; may be zero. */
        public Builder warmup(Duration warmup) {
            this.warmup = warmup;
            return this;
        }

        /** The measured window, after the warm-up. */
        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        /** Hard cap on requests sent, warm-up included. */
        public Builder maxRequests(long maxRequests) {
            this.maxRequests = maxRequests;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /**
         * Calls {@code listener} every {@code interval} while the run runs, on the thread that called
         * {@link LoadGenerator#run}; the generator threads then also count into shared counters.
         */
        public Builder progress(Duration interval, Consumer<Progress> listener) {
            if (interval == null || interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("progress interval: " + interval + " (expected: > 0s)");
            }
            this.progressInterval = interval;
            this.progressListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Checks every 2xx answer's body against {@code json}, whitespace aside (see {@link ExpectedBody}); an answer
         * with another body counts as an error ({@link ErrorCounts#wrongBodies}), not as a success. Null: no check.
         */
        public Builder expectBody(String json) {
            this.expectedBody = json;
            return this;
        }

        public LoadSpec build() {
            List<Endpoint> resolved = resolveEndpoints();
            Objects.requireNonNull(request, "request");
            if (connections < 1) {
                throw new IllegalArgumentException("connections: " + connections + " (expected: >= 1)");
            }
            if (threads < 1 || threads > connections) {
                throw new IllegalArgumentException(
                        "threads: " + threads + " (expected: 1.." + connections + ", at most one per connection)");
            }
            if (connections < threads * resolved.size()) {
                throw new IllegalArgumentException("connections: " + connections + " (expected: >= "
                        + threads * resolved.size() + ", one per endpoint on each of " + threads + " thread(s))");
            }
            Objects.requireNonNull(pacing, "pacing");
            if (warmup == null || warmup.isNegative()) {
                throw new IllegalArgumentException("warmup: " + warmup + " (expected: >= 0s, set explicitly)");
            }
            if (duration == null || duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException("duration: " + duration + " (expected: > 0s, set explicitly)");
            }
            if (maxRequests < 1) {
                throw new IllegalArgumentException("maxRequests: " + maxRequests + " (expected: >= 1)");
            }
            if (requestTimeout == null || requestTimeout.isZero() || requestTimeout.isNegative()) {
                throw new IllegalArgumentException("requestTimeout: " + requestTimeout + " (expected: > 0s)");
            }
            return new LoadSpec(this, resolved);
        }

        private List<Endpoint> resolveEndpoints() {
            if (target != null) {
                return List.of(Endpoint.of(target, path == null ? "/" : path));
            }
            if (path != null) {
                throw new IllegalArgumentException("path: " + path + " (expected: unset; each endpoint has its own)");
            }
            if (endpoints.isEmpty()) {
                throw new IllegalArgumentException("endpoints: [] (expected: at least one)");
            }
            if (endpoints.stream().distinct().count() < endpoints.size()) {
                throw new IllegalArgumentException("endpoints: " + endpoints + " (expected: each once)");
            }
            return endpoints;
        }
    }
}
