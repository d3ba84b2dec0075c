package io.gridgate.node.auth;

import io.gridgate.node.config.RouteAuthConfig;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.pipeline.Snapshot;
import io.gridgate.node.routing.Route;
import io.gridgate.node.routing.RouteMatch;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates and authorizes requests on routes that ask for it, and carries the identity
 * upstream. Whatever a client sends in the identity headers is removed first, on every route, so
 * an upstream can trust them. A route's rules are compiled on first use.
 */
public final class AuthHandler implements HttpHandler {

    private static final int MAX_COMPILED_ROUTES = 10_000;

    /** The identity headers this request carries upstream, for the calls of a composition to carry too. */
    public static final io.undertow.util.AttachmentKey<List<HttpString>> IDENTITY_HEADERS =
            io.undertow.util.AttachmentKey.create(List.class);

    private final Map<Route, Authorization> compiled = new ConcurrentHashMap<>();
    private final HttpHandler next;

    public AuthHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        // The authenticators of the version the route was matched in, not whichever is in force now.
        Authenticators authenticators = exchange.getAttachment(Snapshot.KEY).authenticators();
        IdentityHeaderNames names = authenticators.identityHeaderNames();
        HeaderMap requestHeaders = exchange.getRequestHeaders();
        for (HttpString header : names.all()) {
            requestHeaders.remove(header);
        }
        RouteMatch match = exchange.getAttachment(RouteMatch.KEY);
        Optional<RouteAuthConfig> auth = match.route().config().auth();
        if (auth.isEmpty()) {
            next.handleRequest(exchange);
            return;
        }
        Authenticators.Credential credential = authenticators.find(exchange, auth.get().methods());
        if (credential == null) {
            if (auth.get().optional()) {
                next.handleRequest(exchange);
            } else {
                challenge(exchange, auth.get(), "credentials are required");
            }
            return;
        }
        CompletableFuture<Verdict> verdict = authenticators.verify(credential).toCompletableFuture();
        if (verdict.isDone()) {
            decide(exchange, match.route(), auth.get(), verdict, names);
            return;
        }
        // The exchange waits, dispatched (a key set is being fetched), then resumes on its I/O thread.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> verdict.whenComplete((v, e) ->
                exchange.getIoThread().execute(() ->
                        Connectors.executeRootHandler(ex -> decide(ex, match.route(), auth.get(), verdict, names), exchange))));
    }

    private void decide(HttpServerExchange exchange, Route route, RouteAuthConfig auth,
                        CompletableFuture<Verdict> future, IdentityHeaderNames names) throws Exception {
        Verdict verdict;
        try {
            verdict = future.join();
        } catch (RuntimeException unavailable) {
            LocalReply.send(exchange, Reason.AUTH_UNAVAILABLE);
            return;
        }
        if (verdict instanceof Verdict.Rejected rejected) {
            challenge(exchange, auth, rejected.description());
            return;
        }
        Identity identity = ((Verdict.Verified) verdict).identity();
        Optional<String> denial = authorization(route, auth).denial(identity);
        if (denial.isPresent()) {
            LocalReply.send(exchange, Reason.FORBIDDEN, Reason.FORBIDDEN.message() + ": " + denial.get());
            return;
        }
        exchange.putAttachment(Identity.KEY, identity);
        forward(exchange.getRequestHeaders(), identity, names);
        exchange.putAttachment(IDENTITY_HEADERS, names.all());
        next.handleRequest(exchange);
    }

    private Authorization authorization(Route route, RouteAuthConfig auth) {
        Authorization rules = compiled.get(route);
        if (rules == null) {
            if (compiled.size() > MAX_COMPILED_ROUTES) {
                compiled.clear(); // routes of replaced tables; the live ones compile again on next use
            }
            rules = compiled.computeIfAbsent(route, r -> Authorization.of(auth));
        }
        return rules;
    }

    private static void forward(HeaderMap headers, Identity identity, IdentityHeaderNames names) {
        putSafe(headers, names.consumer(), identity.consumer());
        identity.subject().ifPresent(subject -> putSafe(headers, names.subject(), subject));
        names.claims().forEach((claim, header) -> {
            Object value = identity.claims().get(claim);
            if (value instanceof Collection<?> items) {
                putSafe(headers, header, String.join(",", items.stream().map(String::valueOf).toList()));
            } else if (value != null && !(value instanceof Map<?, ?>)) {
                putSafe(headers, header, value.toString());
            }
        });
    }

    /** A value with a control character (a claim with CR LF in it) would split the header: it is left out. */
    private static void putSafe(HeaderMap headers, HttpString name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return;
            }
        }
        headers.put(name, value);
    }

    private static void challenge(HttpServerExchange exchange, RouteAuthConfig auth, String description) {
        boolean bearer = auth.methods().stream().anyMatch(m -> m.startsWith("jwt:"));
        String challenge = bearer
                ? "Bearer realm=\"gridgate\", error=\"invalid_token\", error_description=\"" + description + "\""
                : "ApiKey realm=\"gridgate\"";
        LocalReply.send(exchange, Reason.UNAUTHORIZED, "authentication failed: " + description,
                headers -> headers.put(Headers.WWW_AUTHENTICATE, challenge));
    }
}
