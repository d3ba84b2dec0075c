package io.gridgate.node.cache;

/** How a stored entry may be used at a given time (RFC 9111 §4.2, RFC 5861). */
public enum Freshness {
    /** Serve it. */
    FRESH,
    /** Serve it and revalidate in the background ({@code stale-while-revalidate}). */
    STALE_REVALIDATE,
    /** Serve it only if the upstream fails ({@code stale-if-error}). */
    STALE_IF_ERROR,
    /** Do not serve it. */
    EXPIRED;

    /** The entry's state at {@code now}; each bound is exclusive, so at {@code expiresAt} it is already stale. */
    public static Freshness at(long expiresAtMillis, long revalidateUntilMillis, long staleUntilMillis, long nowMillis) {
        if (nowMillis < expiresAtMillis) {
            return FRESH;
        }
        if (nowMillis < revalidateUntilMillis) {
            return STALE_REVALIDATE;
        }
        return nowMillis < staleUntilMillis ? STALE_IF_ERROR : EXPIRED;
    }

    /** The {@code Age} header value: whole seconds since {@code storedAt}, never negative. */
    public static long ageSeconds(long storedAtMillis, long nowMillis) {
        return Math.max(0, (nowMillis - storedAtMillis) / 1000);
    }
}
