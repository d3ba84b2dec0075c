package io.gridgate.cluster;

import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A response stored in the cluster's response cache: what to replay, when it stops being fresh
 * ({@code expiresAtMillis}), when it may no longer be served even as stale ({@code staleUntilMillis}),
 * and what purges reach it (its {@code path}, its {@code resource} and its {@code tags}). Immutable:
 * the body and the collections are copied in and out.
 *
 * <p>An entry with a non-empty {@code vary} is not a response but a variant index: the response
 * for its request varies on those request headers, and each variant is stored under a key that
 * includes their values. It has no body and carries the purge fields of its variants.
 *
 * @param resource the path and its sorted query ({@code /items?a=1&b=2}), which a purge by URL matches
 * @param vary     the lower-cased request header names of a variant index; empty for a response
 */
public record CachedResponse(int status, List<Header> headers, byte[] body, long storedAtMillis,
                             long expiresAtMillis, long staleUntilMillis, Set<String> tags, String path,
                             String resource, List<String> vary)
        implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** One response header as it was received; names may repeat. */
    public record Header(String name, String value) implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public CachedResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100..599)");
        }
        if (expiresAtMillis < storedAtMillis) {
            throw new IllegalArgumentException("expiresAtMillis: " + expiresAtMillis
                    + " (expected: >= storedAtMillis " + storedAtMillis + ")");
        }
        if (staleUntilMillis < expiresAtMillis) {
            throw new IllegalArgumentException("staleUntilMillis: " + staleUntilMillis
                    + " (expected: >= expiresAtMillis " + expiresAtMillis + ")");
        }
        headers = List.copyOf(Objects.requireNonNull(headers, "headers"));
        body = Objects.requireNonNull(body, "body").clone();
        tags = Set.copyOf(Objects.requireNonNull(tags, "tags"));
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(resource, "resource");
        vary = List.copyOf(Objects.requireNonNull(vary, "vary"));
    }

    /** A response whose resource is its path: no query, no variants. */
    public CachedResponse(int status, List<Header> headers, byte[] body, long storedAtMillis,
                          long expiresAtMillis, long staleUntilMillis, Set<String> tags, String path) {
        this(status, headers, body, storedAtMillis, expiresAtMillis, staleUntilMillis, tags, path, path, List.of());
    }

    /**
     * The index for a response that varies on {@code vary}, kept as long as the variant that
     * created it; purges reach it as they reach that variant.
     */
    public static CachedResponse varyIndex(List<String> vary, CachedResponse variant) {
        if (vary.isEmpty()) {
            throw new IllegalArgumentException("vary: [] (expected: at least one header name)");
        }
        return new CachedResponse(200, List.of(), new byte[0], variant.storedAtMillis, variant.expiresAtMillis,
                variant.staleUntilMillis, variant.tags, variant.path, variant.resource, vary);
    }

    /** Whether this entry is a variant index rather than a response. */
    public boolean isVaryIndex() {
        return !vary.isEmpty();
    }

    /** A copy of the body; {@link #bodyBuffer()} reads it without copying. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body's length in bytes, without copying it. */
    public int bodyLength() {
        return body.length;
    }

    /** The body as a read-only view, for writing it out without a copy. */
    public ByteBuffer bodyBuffer() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    /** Whether it may still be served, fresh or stale, at the given time. */
    public boolean isServableAt(long nowMillis) {
        return nowMillis < staleUntilMillis;
    }

    /** Whether it is still fresh at the given time. */
    public boolean isFreshAt(long nowMillis) {
        return nowMillis < expiresAtMillis;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CachedResponse that
                && status == that.status
                && storedAtMillis == that.storedAtMillis
                && expiresAtMillis == that.expiresAtMillis
                && staleUntilMillis == that.staleUntilMillis
                && headers.equals(that.headers)
                && Arrays.equals(body, that.body)
                && tags.equals(that.tags)
                && path.equals(that.path)
                && resource.equals(that.resource)
                && vary.equals(that.vary);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, Arrays.hashCode(body), storedAtMillis, expiresAtMillis,
                staleUntilMillis, tags, path, resource, vary);
    }

    @Override
    public String toString() {
        return "CachedResponse[status=" + status + ", resource=" + resource + (vary.isEmpty() ? "" : ", vary=" + vary)
                + ", headers=" + headers.size()
                + ", body=" + body.length + " bytes, storedAt=" + storedAtMillis + ", expiresAt="
                + expiresAtMillis + ", staleUntil=" + staleUntilMillis + ", tags=" + tags + "]";
    }
}
