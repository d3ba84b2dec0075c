package io.gridgate.node.cache;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** Whether a response may be stored in the shared cache: {@link Storable} with its lifetimes, or {@link NotStorable} with why. */
public sealed interface Storability {

    /** Why a response is not stored; {@link #detail()} is for logs and spans. */
    enum Reason {
        METHOD_NOT_CACHEABLE,
        STATUS_NOT_CACHEABLE,
        REQUEST_NO_STORE,
        NO_STORE,
        PRIVATE,
        NO_CACHE,
        SET_COOKIE,
        VARY_STAR,
        AUTHORIZATION_NOT_SHAREABLE,
        BAD_CONTENT_LENGTH,
        TOO_LARGE,
        NO_FRESHNESS,
        ALREADY_STALE;

        /** The reason in lower snake case, e.g. {@code vary_star}. */
        public String detail() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Not stored, for the given reason. */
    record NotStorable(Reason reason) implements Storability {

        public NotStorable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Stored. The times are epoch millis and ordered
     * {@code generatedAt <= expiresAt <= revalidateUntil <= staleUntil}.
     *
     * @param generatedAtMillis     when the upstream generated it by its {@code Age}: what to store as
     *                              {@code storedAtMillis} so {@link Freshness#ageSeconds} counts from there
     * @param expiresAtMillis       fresh before this
     * @param revalidateUntilMillis servable stale while revalidating before this
     * @param staleUntilMillis      servable stale when the upstream fails before this; kept until then
     * @param tags                  purge tags from {@code Surrogate-Key} and {@code Cache-Tag}
     * @param sizeKnown             whether {@code Content-Length} gave the size; when false the streaming
     *                              code must stop buffering at {@code maxEntryBytes} and not store
     */
    record Storable(long generatedAtMillis, long expiresAtMillis, long revalidateUntilMillis, long staleUntilMillis,
                    Set<String> tags, boolean sizeKnown) implements Storability {

        public Storable {
            if (generatedAtMillis > expiresAtMillis || expiresAtMillis > revalidateUntilMillis
                    || revalidateUntilMillis > staleUntilMillis) {
                throw new IllegalArgumentException("times: " + generatedAtMillis + ", " + expiresAtMillis + ", "
                        + revalidateUntilMillis + ", " + staleUntilMillis + " (expected: non-decreasing)");
            }
            tags = Set.copyOf(tags);
        }
    }
}
