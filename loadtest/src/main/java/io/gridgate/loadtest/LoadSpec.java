package io.gridgate.loadtest;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/** What one generator run does: target, connections, pacing, and the bounds that make every run stop by itself. */
public final class LoadSpec {

    /** Safety net against a misconfigured rate or duration; a run that reaches it is flagged as capped. */
    public static final long DEFAULT_MAX_REQUESTS = 20_000_000L;
    /** Long enough for a loopback proxy under full load, short enough that a wedged run ends promptly. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final InetSocketAddress target;
    private final String path;
    private final int connections;
    private final int threads;
    private final Pacing pacing;
    private final Duration warmup;
    private final Duration duration;
    private final long maxRequests;
    private final Duration requestTimeout;
    private final ExpectedBody expectedBody;

    private LoadSpec(Builder b) {
        this.target = b.target;
        this.path = b.path;
        this.connections = b.connections;
        this.threads = b.threads;
        this.pacing = b.pacing;
        this.warmup = b.warmup;
        this.duration = b.duration;
        this.maxRequests = b.maxRequests;
        this.requestTimeout = b.requestTimeout;
        this.expectedBody = b.expectedBody == null ? null : ExpectedBody.of(b.expectedBody);
    }

    /** Starts a spec for {@code target}; warm-up and duration have no default and must be set. */
    public static Builder builder(InetSocketAddress target) {
        return new Builder(target);
    }

    public InetSocketAddress target() {
        return target;
    }

    public String path() {
        return path;
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

    /** What every 2xx answer's body must be, or null if bodies are not checked. */
    ExpectedBody expectedBody() {
        return expectedBody;
    }

    @Override
    public String toString() {
        return String.format("%s %s, %d connections on %d thread(s), %s warm-up + %s",
                pacing, target, connections, threads, warmup, duration);
    }

    /** Collects and validates the fields of a {@link LoadSpec}. */
    public static final class Builder {
        private final InetSocketAddress target;
        private String path = "/";
        private int connections = 32;
        private int threads = 1;
        private Pacing pacing = Pacing.closedLoop();
        private Duration warmup;
        private Duration duration;
        private long maxRequests = DEFAULT_MAX_REQUESTS;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private String expectedBody;

        private Builder(InetSocketAddress target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        public Builder path(String path) {
            this.path = path;
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
         * Checks every 2xx answer's body against {@code json}, whitespace aside (see {@link ExpectedBody}); an answer
         * with another body counts as an error ({@link ErrorCounts#wrongBodies}), not as a success. Null: no check.
         */
        public Builder expectBody(String json) {
            this.expectedBody = json;
            return this;
        }

        public LoadSpec build() {
            if (path == null || !path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
                throw new IllegalArgumentException("path: " + path + " (expected: starting with /, printable ASCII)");
            }
            if (connections < 1) {
                throw new IllegalArgumentException("connections: " + connections + " (expected: >= 1)");
            }
            if (threads < 1 || threads > connections) {
                throw new IllegalArgumentException(
                        "threads: " + threads + " (expected: 1.." + connections + ", at most one per connection)");
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
            return new LoadSpec(this); // reads the expected body, failing here rather than in a generator thread
        }
    }
}
