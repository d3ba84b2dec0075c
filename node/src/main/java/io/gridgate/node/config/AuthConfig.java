package io.gridgate.node.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How clients prove who they are: JWT issuers, API keys of consumers, and the headers that carry
 * the proven identity upstream.
 *
 * @param jwt the trusted token issuers, by id
 * @param apiKeys where clients put their API key
 * @param consumers consumers known from the config; their API keys are stored hashed in the grid
 * @param identityHeaders the headers that carry the identity upstream; whatever a client sends in
 *     them is removed first
 */
public record AuthConfig(List<JwtIssuer> jwt, ApiKeys apiKeys, List<Consumer> consumers,
                         IdentityHeaders identityHeaders) {

    public AuthConfig {
        jwt = List.copyOf(jwt);
        consumers = List.copyOf(consumers);
    }

    public static final AuthConfig NONE = new AuthConfig(List.of(), ApiKeys.DEFAULT, List.of(), IdentityHeaders.DEFAULT);

    /**
     * One trusted issuer of JSON Web Tokens. Each key pins its algorithm: a token is verified only
     * with the algorithm of the key its {@code kid} names (or, without a {@code kid}, of each key
     * in turn), never with the one the token's header claims.
     *
     * @param keys keys written in the config
     * @param jwksUrl a JSON Web Key Set fetched in the background and refetched every
     *     {@code jwksRefresh}, and at once (at most every {@code jwksMinInterval}) when a token
     *     names a {@code kid} it does not have
     * @param issuer when present, the {@code iss} a token must carry
     * @param audience when not empty, a token's {@code aud} must contain one of these
     * @param leeway clock skew allowed on {@code exp}, {@code nbf} and {@code iat}
     * @param requiredClaims claims a token must carry; {@code exp} by default
     * @param consumerClaim the claim that names the consumer, for rate limits and the consumer header
     * @param from where the token is read
     */
    public record JwtIssuer(String id, List<JwtKey> keys, Optional<URI> jwksUrl, Duration jwksRefresh,
                            Duration jwksMinInterval, Optional<String> issuer, List<String> audience,
                            Duration leeway, List<String> requiredClaims, String consumerClaim, TokenSource from) {

        public JwtIssuer {
            keys = List.copyOf(keys);
            audience = List.copyOf(audience);
            requiredClaims = List.copyOf(requiredClaims);
        }
    }

    /**
     * A key of an issuer.
     *
     * @param algorithm one of HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256,
     *     ES384, ES512
     * @param secret the shared secret of an HS algorithm (at least as many bytes as the hash)
     * @param publicKeyPem the PEM public key ({@code -----BEGIN PUBLIC KEY-----}) of an RS, PS or ES
     *     algorithm
     */
    public record JwtKey(Optional<String> kid, String algorithm, Optional<String> secret, Optional<String> publicKeyPem) {

        /** Never prints the secret. */
        @Override
        public String toString() {
            return "JwtKey[kid=" + kid.orElse("(none)") + ", algorithm=" + algorithm
                    + (secret.isPresent() ? ", secret=(hidden)" : "") + (publicKeyPem.isPresent() ? ", publicKey" : "") + "]";
        }
    }

    /** Where a token is read from: a header with a scheme, or a query parameter, or a cookie. */
    public record TokenSource(Kind kind, String name, String scheme) {

        public static final TokenSource BEARER = new TokenSource(Kind.HEADER, "Authorization", "Bearer");

        /** The part of the request that carries the token. */
        public enum Kind { HEADER, QUERY, COOKIE }
    }

    /**
     * Where clients put their API key: a header, and optionally a query parameter (which ends up in
     * logs of anything in between, so it is off unless named).
     */
    public record ApiKeys(String header, Optional<String> query) {

        public static final ApiKeys DEFAULT = new ApiKeys("X-API-Key", Optional.empty());
    }

    /**
     * A client of the API known by id.
     *
     * @param apiKeys the consumer's keys in plain text; only their SHA-256 reaches the grid
     * @param scopes what the consumer may do, as routes' {@code authorize.scopes} ask
     * @param roles the consumer's roles, as routes' {@code authorize.roles} ask
     */
    public record Consumer(String id, List<String> apiKeys, List<String> scopes, List<String> roles) {

        public Consumer {
            apiKeys = List.copyOf(apiKeys);
            scopes = List.copyOf(scopes);
            roles = List.copyOf(roles);
        }

        /** Never prints the keys. */
        @Override
        public String toString() {
            return "Consumer[id=" + id + ", apiKeys=" + apiKeys.size() + ", scopes=" + scopes + ", roles=" + roles + "]";
        }
    }

    /**
     * @param consumer the header naming the consumer id
     * @param subject the header carrying a token's {@code sub}
     * @param claims more token claims, each to its own header
     */
    public record IdentityHeaders(String consumer, String subject, Map<String, String> claims) {

        public IdentityHeaders {
            claims = Map.copyOf(claims);
        }

        public static final IdentityHeaders DEFAULT = new IdentityHeaders("X-Consumer-Id", "X-Auth-Subject", Map.of());
    }
}
