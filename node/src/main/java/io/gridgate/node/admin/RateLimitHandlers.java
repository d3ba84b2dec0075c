package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.cluster.RateLimiter;
import io.gridgate.cluster.ratelimit.RateLimit;
import io.gridgate.cluster.ratelimit.RateSnapshot;
import io.gridgate.node.config.RateLimitConfig;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.ratelimit.RateLimitPolicy;
import io.gridgate.node.routing.Route;
import io.gridgate.node.routing.Router;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The rate-limit endpoint of the admin API: what the grid holds right now for a route's policies
 * and one client's key. Counters are read on their owners without charging a permit, so an
 * operator can see why a client is refused without adding to its count.
 */
public final class RateLimitHandlers {

    private final RateLimiter limiter;
    private final Router router;
    private final Optional<String> token;

    /** @param router the routes in force, looked up on each request, so a new route table is seen at once */
    public RateLimitHandlers(RateLimiter limiter, Router router, Optional<String> token) {
        this.limiter = limiter;
        this.router = router;
        this.token = token;
    }

    /**
     * {@code GET /admin/ratelimit/{route}?key=...[&policy=...]}: each policy of the route (or the
     * one named), its limits and what is left of them for the key. {@code key} gives the value of
     * each key part but {@code route}, repeated in the policy's order when it has several parts; a
     * policy without such parts has one counter for everyone and needs no key.
     */
    public HttpHandler peek() {
        return authorized(exchange -> {
            String routeId = AdminExchanges.pathParameter(exchange, "route");
            Route route = router.table().routes().stream()
                    .filter(candidate -> candidate.id().equals(routeId)).findFirst().orElse(null);
            if (route == null) {
                LocalReply.send(exchange, Reason.RATE_LIMIT_NOT_FOUND, "no route " + routeId);
                return;
            }
            List<RateLimitPolicy> policies = policies(exchange, route);
            if (policies.isEmpty()) {
                return;
            }
            Deque<String> given = exchange.getQueryParameters().get("key");
            List<String> values = given == null ? List.of() : List.copyOf(given);
            List<FieldError> errors = new ArrayList<>();
            for (RateLimitPolicy policy : policies) {
                List<String> parts = policy.valueParts();
                if (given == null && !parts.isEmpty()) {
                    errors.add(new FieldError("key", "missing", expected(policy)));
                } else if (!parts.isEmpty() && values.size() != parts.size()) {
                    errors.add(new FieldError("key", values.size() + " values", expected(policy)
                            + (policies.size() > 1 ? "; or name one policy with ?policy=" : "")));
                }
            }
            if (!errors.isEmpty()) {
                AdminExchanges.reject(exchange, Reason.INVALID_REQUEST, "the key does not fit the rate-limit policies of route "
                        + routeId, errors.stream().distinct().toList());
                return;
            }
            peek(exchange, route, policies, values);
        });
    }

    /** The route's policies, or only the one {@code ?policy=} names; none when it has replied 404. */
    private static List<RateLimitPolicy> policies(HttpServerExchange exchange, Route route) {
        Deque<String> named = exchange.getQueryParameters().get("policy");
        List<RateLimitPolicy> policies = route.config().rateLimits().stream()
                .filter(config -> named == null || config.id().equals(named.getFirst()))
                .map(config -> RateLimitPolicy.of(config, route.id()))
                .toList();
        if (policies.isEmpty()) {
            LocalReply.send(exchange, Reason.RATE_LIMIT_NOT_FOUND, named == null
                    ? "route " + route.id() + " has no rate limit"
                    : "route " + route.id() + " has no rate-limit policy " + named.getFirst());
        }
        return policies;
    }

    private static String expected(RateLimitPolicy policy) {
        List<String> parts = policy.valueParts();
        return parts.size() == 1
                ? "the value of " + parts.get(0) + " for policy " + policy.config().id()
                : parts.size() + " values, one for each of " + String.join(", ", parts) + " in that order, for policy "
                + policy.config().id();
    }

    private void peek(HttpServerExchange exchange, Route route, List<RateLimitPolicy> policies, List<String> values) {
        List<String> keys = policies.stream()
                .map(policy -> policy.key(policy.valueParts().isEmpty() ? List.of() : values)).toList();
        List<CompletableFuture<RateSnapshot>> reads = new ArrayList<>();
        for (int i = 0; i < policies.size(); i++) {
            reads.add(read(keys.get(i), policies.get(i).limits()));
        }
        AdminExchanges.respond(exchange, CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)),
                Reason.GRID_UNAVAILABLE, done -> {
                    ObjectNode body = AdminExchanges.JSON.createObjectNode().put("route", route.id());
                    values.forEach(body.putArray("key")::add);
                    ArrayNode described = body.putArray("policies");
                    for (int i = 0; i < policies.size(); i++) {
                        describe(described.addObject(), policies.get(i), keys.get(i), reads.get(i).join());
                    }
                    return body;
                });
    }

    /** A grid that refuses the call at once (shut down, say) fails the read, as one that fails later does. */
    private CompletableFuture<RateSnapshot> read(String key, List<RateLimit> limits) {
        try {
            return limiter.peek(key, limits).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void describe(ObjectNode node, RateLimitPolicy policy, String key, RateSnapshot snapshot) {
        RateLimitConfig config = policy.config();
        Instant at = Instant.ofEpochMilli(snapshot.atMillis());
        node.put("policy", config.id());
        policy.valueParts().forEach(node.putArray("keyParts")::add);
        node.put("counter", key)
                .put("mode", config.mode() == RateLimitConfig.Mode.LEASED ? "leased" : "exact")
                .put("exists", snapshot.exists())
                .put("admitsOne", snapshot.admitsOne())
                .put("at", at.toString());
        ArrayNode limits = node.putArray("limits");
        for (int i = 0; i < config.limits().size(); i++) {
            RateLimitConfig.Limit limit = config.limits().get(i);
            RateSnapshot.Limit standing = snapshot.limits().get(i);
            boolean bucket = limit.algorithm() == RateLimitConfig.Limit.Algorithm.TOKEN_BUCKET;
            ObjectNode entry = limits.addObject()
                    .put("algorithm", bucket ? "tokenBucket" : "slidingWindow")
                    .put("permits", limit.permits())
                    .put("per", limit.per().toString());
            if (bucket) {
                entry.put("burst", limit.burst());
            }
            entry.put("remaining", standing.remaining())
                    .put("resetAt", instant(at, standing.reset()))
                    .put("nextPermitAt", instant(at, standing.nextPermit()));
        }
    }

    private static String instant(Instant at, Duration after) {
        return at.plus(after).toString();
    }

    private HttpHandler authorized(HttpHandler next) {
        return AdminExchanges.requireBearer(token, Reason.ADMIN_DISABLED, "gridgate-admin", next);
    }
}
