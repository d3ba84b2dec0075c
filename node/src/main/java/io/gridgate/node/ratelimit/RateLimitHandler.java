package io.gridgate.node.ratelimit;

import io.gridgate.cluster.RateLimiter;
import io.gridgate.cluster.ratelimit.RateDecision;
import io.gridgate.node.config.RateLimitConfig;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.routing.Route;
import io.gridgate.node.routing.RouteMatch;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Applies the matched route's rate-limit policies in order; the first that refuses answers 429 with
 * {@code Retry-After}. Every limited response carries {@code RateLimit-Policy} and {@code RateLimit}
 * (draft-ietf-httpapi-ratelimit-headers). A grid decision resumes the exchange on its I/O thread
 * when it arrives; a leased decision usually completes at once and costs no round trip.
 */
public final class RateLimitHandler implements HttpHandler {

    static final HttpString RATE_LIMIT_POLICY = new HttpString("RateLimit-Policy");
    static final HttpString RATE_LIMIT = new HttpString("RateLimit");
    private static final HttpString X_LIMIT = new HttpString("X-RateLimit-Limit");
    private static final HttpString X_REMAINING = new HttpString("X-RateLimit-Remaining");
    private static final HttpString X_RESET = new HttpString("X-RateLimit-Reset");

    private static final int MAX_COMPILED_ROUTES = 10_000;

    private final RateLimiter limiter;
    private final LeasedPermits leased;
    private final HttpHandler next;
    /**
     * Policies compiled per route, keyed by the route object itself: its identity hash is free,
     * where a RouteConfig record would hash every field of the config on every request.
     */
    private final Map<Route, List<RateLimitPolicy>> compiled = new ConcurrentHashMap<>();

    public RateLimitHandler(RateLimiter limiter, HttpHandler next) {
        this.limiter = limiter;
        this.leased = new LeasedPermits(limiter);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Route route = exchange.getAttachment(RouteMatch.KEY).route();
        if (route.config().rateLimits().isEmpty()) {
            next.handleRequest(exchange);
            return;
        }
        List<RateLimitPolicy> policies = compiled.get(route);
        if (policies == null) {
            if (compiled.size() > MAX_COMPILED_ROUTES) {
                compiled.clear(); // routes of replaced tables; the live ones compile again on next use
            }
            policies = compiled.computeIfAbsent(route, r -> r.config().rateLimits().stream()
                    .map(config -> new RateLimitPolicy(config, r.id())).toList());
        }
        check(exchange, policies, 0);
    }

    private void check(HttpServerExchange exchange, List<RateLimitPolicy> policies, int index) throws Exception {
        if (index == policies.size()) {
            next.handleRequest(exchange);
            return;
        }
        RateLimitPolicy policy = policies.get(index);
        CompletableFuture<RateDecision> decision = decide(exchange, policy);
        if (decision.isDone()) {
            resume(exchange, policies, index, decision);
            return;
        }
        // The exchange waits, dispatched, and comes back to its own I/O thread with the answer.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> decision.whenComplete((d, e) ->
                exchange.getIoThread().execute(() ->
                        Connectors.executeRootHandler(ex -> resume(ex, policies, index, decision), exchange))));
    }

    private CompletableFuture<RateDecision> decide(HttpServerExchange exchange, RateLimitPolicy policy) {
        String key = policy.key(exchange);
        if (policy.config().mode() == RateLimitConfig.Mode.LEASED) {
            return leased.acquire(key, policy);
        }
        return limiter.tryAcquire(key, policy.limits(), 1).toCompletableFuture()
                .orTimeout(policy.config().gridTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void resume(HttpServerExchange exchange, List<RateLimitPolicy> policies, int index,
                        CompletableFuture<RateDecision> future) throws Exception {
        RateLimitPolicy policy = policies.get(index);
        RateDecision decision;
        try {
            decision = future.join();
        } catch (RuntimeException gridUnavailable) {
            if (policy.config().onGridError() == RateLimitConfig.OnGridError.DENY) {
                LocalReply.send(exchange, Reason.RATE_LIMIT_UNAVAILABLE, "rate limit " + policy.config().id()
                        + " could not be checked within " + policy.config().gridTimeout().toMillis() + " ms");
                return;
            }
            exchange.getResponseHeaders().add(RATE_LIMIT_POLICY, policy.policyHeader());
            check(exchange, policies, index + 1);
            return;
        }
        if (!decision.allowed()) {
            long retryAfter = seconds(decision.retryAfter());
            LocalReply.send(exchange, Reason.RATE_LIMITED, "rate limit " + policy.config().id() + " exceeded: "
                    + describe(policy.config().limits().get(decision.limitIndex())) + "; retry after " + retryAfter + " s",
                    headers -> {
                        headers.put(Headers.RETRY_AFTER, retryAfter);
                        describe(headers, policy, decision);
                    });
            return;
        }
        describe(exchange.getResponseHeaders(), policy, decision);
        check(exchange, policies, index + 1);
    }

    private static void describe(HeaderMap headers, RateLimitPolicy policy, RateDecision decision) {
        long reset = seconds(decision.reset());
        headers.add(RATE_LIMIT_POLICY, policy.policyHeader());
        headers.add(RATE_LIMIT, "\"" + policy.config().id() + "\";r=" + decision.remaining() + ";t=" + reset);
        if (policy.config().legacyHeaders()) {
            headers.put(X_LIMIT, decision.limit());
            headers.put(X_REMAINING, decision.remaining());
            headers.put(X_RESET, reset);
        }
    }

    private static String describe(RateLimitConfig.Limit limit) {
        return limit.permits() + " per " + limit.per().toString().substring(2).toLowerCase();
    }

    /** Whole seconds, rounded up: a client that waits that long will find room. */
    private static long seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }
}
