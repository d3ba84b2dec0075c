package io.gridgate.node.config;

/** Reads {@code server.limits}, and the body size bound that routes may set for themselves. */
final class LimitsReader {

    static final String[] KEYS = {"maxHeaders", "maxUrlBytes", "maxBodyBytes", "bodyReadTimeout", "strictFraming",
        "normalizePaths"};

    /** Beyond this, a body is a transfer for another service to handle, not a request to proxy. */
    static final long MAX_BODY_BYTES = 16L * 1024 * 1024 * 1024;

    private LimitsReader() {
    }

    /** A request body bound, globally or per route. */
    static ValueType<Long> bodySize() {
        return ValueTypes.byteSize(MAX_BODY_BYTES);
    }

    /** An absent or empty section reads as {@link LimitsConfig#DEFAULT}. */
    static LimitsConfig read(Section s) {
        LimitsConfig d = LimitsConfig.DEFAULT;
        return new LimitsConfig(
                s.get("maxHeaders", ValueTypes.integer(1, 10_000), d.maxHeaders()),
                s.get("maxUrlBytes", ValueTypes.integer(256, 1_048_576), d.maxUrlBytes()),
                s.get("maxBodyBytes", bodySize(), d.maxBodyBytes()),
                s.get("bodyReadTimeout", Durations.type(), d.bodyReadTimeout()),
                s.get("strictFraming", ValueTypes.bool(), d.strictFraming()),
                s.get("normalizePaths", ValueTypes.bool(), d.normalizePaths()));
    }
}
