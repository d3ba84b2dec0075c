package io.gridgate.node.cache;

import io.gridgate.cluster.CachedResponse;
import io.gridgate.node.cache.Storability.NotStorable;
import io.gridgate.node.cache.Storability.Reason;
import io.gridgate.node.cache.Storability.Storable;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A route's shared-cache decisions under RFC 9111, as pure functions of the request, the response
 * and the time. Where the RFC lets a cache store and revalidate, this one does the simple, safe
 * thing: a request asking for revalidation ({@code no-cache}, {@code max-age=0}, {@code Pragma: no-cache})
 * bypasses the cache, and a response requiring it ({@code no-cache}, qualified or not) is not stored.
 */
public final class CachePolicy {

    private final CacheRules rules;
    private final long maxStaleMillis;

    private CachePolicy(CacheRules rules) {
        this.rules = rules;
        this.maxStaleMillis = rules.maxStale().toMillis();
    }

    /** The policy for a route's rules. */
    public static CachePolicy of(CacheRules rules) {
        return new CachePolicy(Objects.requireNonNull(rules, "rules"));
    }

    public CacheRules rules() {
        return rules;
    }

    /**
     * Whether the request may be answered from the cache: GET or HEAD, and not asking to skip it.
     * Other request directives ({@code max-age=N>0}, {@code min-fresh}, {@code max-stale},
     * {@code only-if-cached}) are ignored; the stored response's own freshness decides.
     */
    public boolean isLookupAllowed(String method, Headers request) {
        if (!isCacheableMethod(method)) {
            return false;
        }
        CacheControl cc = CacheControl.of(request);
        if (cc.isEmpty()) {
            return HeaderLists.elements(request.all("Pragma")).stream().noneMatch("no-cache"::equalsIgnoreCase);
        }
        return !cc.has("no-store") && !cc.has("no-cache") && cc.seconds("max-age") != 0;
    }

    /** Whether the response may be stored and, if so, until when and under which tags. */
    public Storability decide(String method, int status, Headers request, Headers response, long nowMillis) {
        return decide(method, status, request, request.contains("Authorization"), response, nowMillis);
    }

    /**
     * As {@link #decide(String, int, Headers, Headers, long)}, with {@code credentialed} saying whether
     * the request carried credentials: an {@code Authorization} header, or an API key the gateway verified.
     */
    public Storability decide(String method, int status, Headers request, boolean credentialed, Headers response,
                              long nowMillis) {
        CacheControl cc = CacheControl.of(response);
        Reason refused = refusal(method, status, request, credentialed, response, cc);
        if (refused != null) {
            return new NotStorable(refused);
        }
        long lifetime = lifetimeMillis(cc, response, nowMillis);
        if (lifetime < 0) {
            return new NotStorable(Reason.NO_FRESHNESS);
        }
        long generatedAt = nowMillis - 1000 * Math.max(0, HeaderLists.deltaSeconds(trimmed(response.first("Age"))));
        long expiresAt = generatedAt + lifetime;
        long revalidateUntil = expiresAt + staleWindowMillis(cc, "stale-while-revalidate");
        long staleUntil = Math.max(revalidateUntil, expiresAt + staleWindowMillis(cc, "stale-if-error"));
        if (staleUntil <= nowMillis) {
            return new NotStorable(Reason.ALREADY_STALE);
        }
        return new Storable(generatedAt, expiresAt, revalidateUntil, staleUntil, Tags.of(response),
                response.contains("Content-Length"));
    }

    private Reason refusal(String method, int status, Headers request, boolean credentialed, Headers response,
                           CacheControl cc) {
        if (!isCacheableMethod(method)) {
            return Reason.METHOD_NOT_CACHEABLE;
        }
        if (!rules.cacheableStatuses().contains(status)) {
            return Reason.STATUS_NOT_CACHEABLE;
        }
        if (CacheControl.of(request).has("no-store")) {
            return Reason.REQUEST_NO_STORE;
        }
        if (cc.has("no-store")) {
            return Reason.NO_STORE;
        }
        if (cc.has("private")) {
            return Reason.PRIVATE;
        }
        if (cc.has("no-cache")) {
            return Reason.NO_CACHE;
        }
        if (response.contains("Set-Cookie")) {
            return Reason.SET_COOKIE;
        }
        if (varyHeaderNames(response).contains("*")) {
            return Reason.VARY_STAR;
        }
        if (credentialed && !rules.keyPerConsumer() && !isExplicitlyShareable(cc)) {
            return Reason.AUTHORIZATION_NOT_SHAREABLE;
        }
        return sizeRefusal(response);
    }

    private Reason sizeRefusal(Headers response) {
        List<String> lengths = HeaderLists.elements(response.all("Content-Length"));
        if (lengths.isEmpty()) {
            return response.contains("Content-Length") ? Reason.BAD_CONTENT_LENGTH : null;
        }
        long length = HeaderLists.deltaSeconds(lengths.get(0));
        if (length < 0 || lengths.stream().anyMatch(l -> !l.equals(lengths.get(0)))) {
            return Reason.BAD_CONTENT_LENGTH;
        }
        return length > rules.maxEntryBytes() ? Reason.TOO_LARGE : null;
    }

    /**
     * The freshness lifetime (RFC 9111 §4.2.1): {@code s-maxage}, else {@code max-age}, else
     * {@code Expires} minus {@code Date} (or minus now without a Date; an invalid Expires is in the
     * past), else the route's default TTL; -1 when that is zero.
     */
    private long lifetimeMillis(CacheControl cc, Headers response, long nowMillis) {
        long seconds = cc.seconds("s-maxage");
        if (seconds < 0) {
            seconds = cc.seconds("max-age");
        }
        if (seconds >= 0) {
            return seconds * 1000;
        }
        if (response.contains("Expires")) {
            return expiresLifetimeMillis(response, nowMillis);
        }
        long ttl = rules.defaultTtl().toMillis();
        return ttl > 0 ? ttl : -1;
    }

    private static long expiresLifetimeMillis(Headers response, long nowMillis) {
        long expires = HttpDates.parse(response.first("Expires"));
        if (expires == HttpDates.INVALID) {
            return 0;
        }
        long date = HttpDates.parse(response.first("Date"));
        return Math.max(0, expires - (date == HttpDates.INVALID ? nowMillis : date));
    }

    /**
     * The stale window a directive grants, capped by {@code maxStale}; none under
     * {@code must-revalidate} or {@code proxy-revalidate}. An explicit grant is honoured next to
     * {@code s-maxage}, as CDNs do, though RFC 9111 §5.2.2.10 has s-maxage imply proxy-revalidate.
     */
    private long staleWindowMillis(CacheControl cc, String directive) {
        if (cc.has("must-revalidate") || cc.has("proxy-revalidate")) {
            return 0;
        }
        long seconds = cc.seconds(directive);
        return seconds <= 0 ? 0 : Math.min(seconds * 1000, maxStaleMillis);
    }

    /**
     * Whether a stored response may answer this request: always, unless the request carries
     * credentials on a route that does not key per consumer; then only a response that says it is
     * shareable ({@code public}, {@code s-maxage} or {@code must-revalidate}, RFC 9111 §3.5), since
     * one stored for an anonymous request may differ from what this sender is entitled to.
     */
    public boolean mayServe(CachedResponse entry, boolean credentialed) {
        return !credentialed || rules.keyPerConsumer()
                || isExplicitlyShareable(CacheControl.of(Headers.ofStored(entry.headers())));
    }

    private static boolean isExplicitlyShareable(CacheControl cc) {
        return cc.has("public") || cc.has("s-maxage") || cc.has("must-revalidate");
    }

    /**
     * The stored entry's state at {@code now}. Its revalidate-until time is worked out again from its
     * stored {@code Cache-Control}, the same way {@link #decide} worked it out when storing it.
     */
    public Freshness freshness(CachedResponse entry, long nowMillis) {
        CacheControl cc = CacheControl.of(Headers.ofStored(entry.headers()));
        long revalidateUntil = Math.min(entry.staleUntilMillis(),
                entry.expiresAtMillis() + staleWindowMillis(cc, "stale-while-revalidate"));
        return Freshness.at(entry.expiresAtMillis(), revalidateUntil, entry.staleUntilMillis(), nowMillis);
    }

    /**
     * The cache key: method, lower-cased host, path, query parameters sorted by name then value, the
     * request's values of the response's {@code Vary} headers and of the route's key headers, and the
     * consumer when the route keys per consumer. {@code query} is the raw query without '?', compared
     * undecoded; nothing else of the request counts.
     */
    public String key(String method, String host, String path, String query, Headers request,
                      Collection<String> varyHeaderNames, String consumer) {
        return CacheKey.of(method, host, path, query, request, varyHeaderNames, rules.keyHeaders(),
                rules.keyPerConsumer() ? consumer : null);
    }

    /** The response's {@code Vary} names, lower-cased, de-duplicated and sorted; {@code *} when it varies on everything. */
    public static Set<String> varyHeaderNames(Headers response) {
        return Collections.unmodifiableSet(CacheKey.normalizedNames(HeaderLists.elements(response.all("Vary"))));
    }

    private static boolean isCacheableMethod(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }
}
