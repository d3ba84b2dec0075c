package io.gridgate.node.routing;

/** What route matching reads of a request, so matching is testable without HTTP. */
public interface RequestView {

    /** Lower-case host name without port; empty when the request names none. */
    String host();

    /**
     * The path without query, still percent-encoded: normalized by
     * {@code io.gridgate.node.pipeline.PathNormalizer} when {@code server.limits.normalizePaths} is
     * on (the default), otherwise as the client sent it.
     */
    String path();

    /** The upper-case method. */
    String method();

    /** The first value of a header, or {@code null}. */
    String header(String name);

    /** The first value of a (decoded) query parameter, or {@code null}. */
    String query(String name);
}
