package io.gridgate.node.auth;

import io.gridgate.cluster.ApiKeyStore;
import io.gridgate.node.config.AuthConfig;
import io.gridgate.node.config.AuthConfig.TokenSource;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.HttpString;

import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every way this node can check a credential: one verifier per JWT issuer and the API-key store.
 * Finds the credential a route accepts in a request and checks it.
 */
public final class Authenticators implements AutoCloseable {

    private static final String JWT_PREFIX = "jwt:";
    /** How long seeding the consumers' API keys may take before the version counts as failed here. */
    static final Duration SEED_WAIT = Duration.ofSeconds(10);

    private final AuthConfig config;
    private final Map<String, JwtVerifier> issuers;
    private final Map<String, TokenSource> sources;
    private final ApiKeyAuthenticator apiKeys;
    private final HttpString apiKeyHeader;
    private final IdentityHeaderNames identityHeaderNames;

    private Authenticators(AuthConfig config, Map<String, JwtVerifier> issuers, ApiKeyAuthenticator apiKeys) {
        this.config = config;
        this.issuers = issuers;
        this.apiKeys = apiKeys;
        this.apiKeyHeader = new HttpString(config.apiKeys().header());
        this.identityHeaderNames = IdentityHeaderNames.of(config.identityHeaders());
        Map<String, TokenSource> byIssuer = new LinkedHashMap<>();
        config.jwt().forEach(issuer -> byIssuer.put(issuer.id(), issuer.from()));
        this.sources = Map.copyOf(byIssuer);
    }

    /**
     * Seeds the config's consumers, waiting at most {@link #SEED_WAIT}, then starts a verifier per issuer
     * (JWKS fetches begin in the background).
     *
     * @throws IllegalStateException when the grid does not take the keys in time; nothing is left running
     */
    public static Authenticators start(AuthConfig config, ApiKeyStore store, Clock clock) {
        return start(config, store, clock, SEED_WAIT);
    }

    static Authenticators start(AuthConfig config, ApiKeyStore store, Clock clock, Duration seedWait) {
        ApiKeyAuthenticator apiKeys = new ApiKeyAuthenticator(store);
        seed(apiKeys, config, seedWait);
        Map<String, JwtVerifier> issuers = new LinkedHashMap<>();
        config.jwt().forEach(issuer -> issuers.put(issuer.id(), JwtVerifier.start(issuer, clock)));
        return new Authenticators(config, issuers, apiKeys);
    }

    /*
     * Bounded, because this runs on the config thread while a new version goes in force: a grid that
     * never answers would otherwise stop this node from taking any later version. The caller retries.
     */
    private static void seed(ApiKeyAuthenticator apiKeys, AuthConfig config, Duration wait) {
        try {
            apiKeys.seed(config).toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing the consumers' API keys in the grid", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot store the consumers' API keys in the grid within "
                    + wait.toMillis() + " ms", e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    public AuthConfig config() {
        return config;
    }

    /** The headers that carry a proven identity upstream, which clients may not set. */
    IdentityHeaderNames identityHeaderNames() {
        return identityHeaderNames;
    }

    /** A credential found in a request: the method that reads it, and its value. */
    public record Credential(String method, String value) {

        /** Never prints the value. */
        @Override
        public String toString() {
            return "Credential[" + method + "]";
        }
    }

    /** The first credential the request carries for one of {@code methods}, in their order; null if none. */
    public Credential find(HttpServerExchange exchange, List<String> methods) {
        for (String method : methods) {
            String value = method.equals(ApiKeyAuthenticator.METHOD) ? apiKey(exchange)
                    : token(exchange, sources.get(method.substring(JWT_PREFIX.length())));
            if (value != null && !value.isEmpty()) {
                return new Credential(method, value);
            }
        }
        return null;
    }

    public CompletionStage<Verdict> verify(Credential credential) {
        if (credential.method().equals(ApiKeyAuthenticator.METHOD)) {
            return apiKeys.verify(credential.value());
        }
        JwtVerifier verifier = issuers.get(credential.method().substring(JWT_PREFIX.length()));
        return verifier == null
                ? CompletableFuture.completedFuture(new Verdict.Rejected("the token's issuer is not accepted here"))
                : verifier.verify(credential.value());
    }

    private String apiKey(HttpServerExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst(apiKeyHeader);
        if (value == null && config.apiKeys().query().isPresent()) {
            value = query(exchange, config.apiKeys().query().get());
        }
        return value;
    }

    private static String token(HttpServerExchange exchange, TokenSource source) {
        if (source == null) {
            return null;
        }
        return switch (source.kind()) {
            case HEADER -> fromHeader(exchange.getRequestHeaders().getFirst(source.name()), source.scheme());
            case QUERY -> query(exchange, source.name());
            case COOKIE -> {
                Cookie cookie = exchange.getRequestCookie(source.name());
                yield cookie == null ? null : cookie.getValue();
            }
        };
    }

    /** A header with a scheme holds a token only after that scheme: {@code Basic ...} is no bearer token. */
    private static String fromHeader(String value, String scheme) {
        if (value == null || scheme.isEmpty()) {
            return value;
        }
        int length = scheme.length();
        if (value.length() > length + 1 && value.regionMatches(true, 0, scheme, 0, length) && value.charAt(length) == ' ') {
            return value.substring(length + 1).strip();
        }
        return null;
    }

    private static String query(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null ? null : values.peekFirst();
    }

    @Override
    public void close() {
        issuers.values().forEach(JwtVerifier::close);
    }
}
