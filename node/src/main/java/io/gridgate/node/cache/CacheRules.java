package io.gridgate.node.cache;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A route's cache settings, validated when built.
 *
 * @param defaultTtl         how long a response stays fresh when the upstream gives no freshness
 *                           (no {@code s-maxage}, {@code max-age} or {@code Expires}); zero stores none
 * @param cacheableStatuses  the statuses that may be stored
 * @param maxEntryBytes      the largest body stored; a larger {@code Content-Length} is not stored
 * @param keyPerConsumer     whether the authenticated consumer is part of the key, which also lets
 *                           responses to requests with {@code Authorization} be stored
 * @param keyHeaders         request headers always part of the key, lower-cased
 * @param maxStale           the longest stale window granted, capping the upstream's
 *                           {@code stale-while-revalidate} and {@code stale-if-error}; zero serves nothing stale
 * @param singleFlightWait   how long concurrent misses for one key wait for the one request sent
 *                           upstream before each goes itself; zero sends every miss upstream
 */
public record CacheRules(Duration defaultTtl, Set<Integer> cacheableStatuses, long maxEntryBytes,
                         boolean keyPerConsumer, List<String> keyHeaders, Duration maxStale,
                         Duration singleFlightWait) {

    /** The statuses RFC 9110 §15.1 calls heuristically cacheable that a gateway commonly stores. */
    public static final Set<Integer> DEFAULT_STATUSES = Set.of(200, 203, 204, 300, 301, 404, 410);

    public CacheRules {
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        if (defaultTtl.isNegative()) {
            throw new IllegalArgumentException("defaultTtl: " + defaultTtl + " (expected: >= 0s)");
        }
        cacheableStatuses = Set.copyOf(Objects.requireNonNull(cacheableStatuses, "cacheableStatuses"));
        for (int status : cacheableStatuses) {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("cacheableStatuses: " + status + " (expected: 200..599)");
            }
        }
        if (maxEntryBytes <= 0) {
            throw new IllegalArgumentException("maxEntryBytes: " + maxEntryBytes + " (expected: > 0)");
        }
        keyHeaders = normalizedNames(Objects.requireNonNull(keyHeaders, "keyHeaders"));
        Objects.requireNonNull(maxStale, "maxStale");
        if (maxStale.isNegative()) {
            throw new IllegalArgumentException("maxStale: " + maxStale + " (expected: >= 0s)");
        }
        Objects.requireNonNull(singleFlightWait, "singleFlightWait");
        if (singleFlightWait.isNegative()) {
            throw new IllegalArgumentException("singleFlightWait: " + singleFlightWait + " (expected: >= 0s)");
        }
    }

    private static List<String> normalizedNames(List<String> names) {
        Set<String> normalized = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("keyHeaders: " + names + " (expected: header names)");
            }
            normalized.add(name.trim().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(normalized);
    }

    /**
     * A builder starting from the defaults: 1 minute TTL, 1 MiB entries, shared key, 1 hour max
     * stale, 5 s single-flight wait.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link CacheRules}; validation happens in {@link #build()}. */
    public static final class Builder {

        private Duration defaultTtl = Duration.ofMinutes(1);
        private Set<Integer> cacheableStatuses = DEFAULT_STATUSES;
        private long maxEntryBytes = 1024 * 1024;
        private boolean keyPerConsumer;
        private List<String> keyHeaders = List.of();
        private Duration maxStale = Duration.ofHours(1);
        private Duration singleFlightWait = Duration.ofSeconds(5);

        private Builder() {
        }

        public Builder defaultTtl(Duration defaultTtl) {
            this.defaultTtl = defaultTtl;
            return this;
        }

        public Builder cacheableStatuses(Set<Integer> cacheableStatuses) {
            this.cacheableStatuses = cacheableStatuses;
            return this;
        }

        public Builder maxEntryBytes(long maxEntryBytes) {
            this.maxEntryBytes = maxEntryBytes;
            return this;
        }

        public Builder keyPerConsumer(boolean keyPerConsumer) {
            this.keyPerConsumer = keyPerConsumer;
            return this;
        }

        public Builder keyHeaders(List<String> keyHeaders) {
            this.keyHeaders = keyHeaders;
            return this;
        }

        public Builder maxStale(Duration maxStale) {
            this.maxStale = maxStale;
            return this;
        }

        public Builder singleFlightWait(Duration singleFlightWait) {
            this.singleFlightWait = singleFlightWait;
            return this;
        }

        public CacheRules build() {
            return new CacheRules(defaultTtl, cacheableStatuses, maxEntryBytes, keyPerConsumer, keyHeaders, maxStale,
                    singleFlightWait);
        }
    }
}
