package io.gridgate.node.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;
import io.gridgate.node.config.AuthConfig;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Verifies the JSON Web Tokens of one issuer. The key pins the algorithm: a token is checked only
 * with keys of its {@code kid} (or, without one, every key) whose own algorithm is the one its
 * header names, so {@code alg: none} and an HS token "signed" with an RSA public key never verify.
 * A known key answers at once; a token naming a key the set lacks waits for a (rate-limited,
 * shared) JWKS refetch. Signature math runs on the caller's thread.
 */
public final class JwtVerifier implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JwtVerifier.class.getName());

    /** Longer tokens are refused before they are decoded. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    static final String MALFORMED = "the token is malformed";
    static final String TOO_LARGE = "the token is too large";
    static final String ALGORITHM_NOT_ACCEPTED = "the token's algorithm is not accepted";
    static final String HEADER_NOT_ACCEPTED = "the token's header is not accepted";
    static final String UNKNOWN_KEY = "the token's key is unknown";
    static final String INVALID_SIGNATURE = "the signature is invalid";
    static final String EXPIRED = "the token has expired";
    static final String NOT_YET_VALID = "the token is not valid yet";
    static final String ISSUED_IN_FUTURE = "the token was issued in the future";
    static final String ISSUER_NOT_ACCEPTED = "the token's issuer is not accepted";
    static final String AUDIENCE_NOT_ACCEPTED = "the token's audience is not accepted";
    static final String INVALID = "the token is invalid";

    private final String method;
    private final String consumerClaim;
    private final List<String> requiredClaims;
    private final JwtKeys configured;
    private final JwksSource jwks;

    private JwtVerifier(AuthConfig.JwtIssuer issuer, JwtKeys configured, JwksSource jwks) {
        this.method = "jwt:" + issuer.id();
        this.consumerClaim = issuer.consumerClaim();
        this.requiredClaims = issuer.requiredClaims();
        this.configured = configured;
        this.jwks = jwks;
    }

    /**
     * Compiles the issuer's configured keys and, if it has a JWKS URL, starts fetching that key set
     * in the background (the first fetch and the refreshes run on one daemon thread of this verifier).
     *
     * @throws IllegalArgumentException if a configured key does not suit its algorithm
     */
    public static JwtVerifier start(AuthConfig.JwtIssuer issuer, Clock clock) {
        JwtKeys.Compiler compiler = compiler(issuer, clock);
        JwtKeys configured = JwtKeys.fromConfig(issuer.id(), issuer.keys(), compiler);
        JwksSource jwks = issuer.jwksUrl()
                .map(url -> JwksSource.start(issuer.id(), url, issuer.jwksRefresh(), issuer.jwksMinInterval(), clock, configured, compiler))
                .orElse(null);
        return new JwtVerifier(issuer, configured, jwks);
    }

    /** The issuer's claim checks around a key's algorithm, measured on {@code clock}. */
    private static JwtKeys.Compiler compiler(AuthConfig.JwtIssuer issuer, Clock clock) {
        long leewaySeconds = issuer.leeway().toSeconds();
        String[] audience = issuer.audience().toArray(String[]::new);
        return algorithm -> {
            Verification checks = JWT.require(algorithm).acceptLeeway(leewaySeconds);
            issuer.issuer().ifPresent(checks::withIssuer);
            if (audience.length > 0) {
                checks.withAnyOfAudience(audience);
            }
            return ((com.auth0.jwt.JWTVerifier.BaseVerification) checks).build(clock);
        };
    }

    /**
     * Checks a token. The stage is complete on return unless the token names a key the set lacks
     * and a JWKS fetch may bring it; it never fails, a bad token yields {@link Verdict.Rejected}.
     */
    public CompletionStage<Verdict> verify(String token) {
        if (token == null || token.isEmpty()) {
            return rejected(MALFORMED);
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            return rejected(TOO_LARGE);
        }
        DecodedJWT jwt;
        try {
            jwt = JWT.decode(token);
        } catch (JWTDecodeException e) {
            return rejected(MALFORMED);
        }
        Claim kidClaim = jwt.getHeaderClaim("kid");
        if (!kidClaim.isMissing() && kidClaim.asString() == null) {
            return rejected(MALFORMED);
        }
        if (!jwt.getHeaderClaim("crit").isMissing()) {
            return rejected(HEADER_NOT_ACCEPTED);
        }
        JwtAlgorithm algorithm = JwtAlgorithm.named(jwt.getAlgorithm()).orElse(null);
        if (algorithm == null) {
            return rejected(ALGORITHM_NOT_ACCEPTED);
        }
        String kid = jwt.getKeyId();
        JwtKeys.Selection selection = keys().select(kid, algorithm);
        if (selection.refetch() && jwks != null) {
            return jwks.refetch().thenApply(fresh -> check(jwt, fresh.select(kid, algorithm)));
        }
        return CompletableFuture.completedFuture(check(jwt, selection));
    }

    private JwtKeys keys() {
        return jwks == null ? configured : jwks.keys();
    }

    private Verdict check(DecodedJWT jwt, JwtKeys.Selection selection) {
        if (selection.candidates().isEmpty()) {
            return new Verdict.Rejected(selection.failure());
        }
        try {
            for (JwtKeys.Key key : selection.candidates()) {
                try {
                    key.checks().verify(jwt);
                } catch (SignatureVerificationException e) {
                    continue;
                } catch (JWTVerificationException e) {
                    return new Verdict.Rejected(describe(e));
                }
                String problem = JwtClaims.problem(jwt, requiredClaims);
                return problem != null ? new Verdict.Rejected(problem) : JwtClaims.identity(method, consumerClaim, jwt);
            }
            return new Verdict.Rejected(INVALID_SIGNATURE);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, e, () -> method + ": a token failed verification unexpectedly");
            return new Verdict.Rejected(INVALID);
        }
    }

    /** A reason safe to show the client: names a claim, never carries a value. */
    static String describe(JWTVerificationException e) {
        if (e instanceof TokenExpiredException) {
            return EXPIRED;
        }
        if (e instanceof AlgorithmMismatchException) {
            return ALGORITHM_NOT_ACCEPTED;
        }
        if (e instanceof SignatureVerificationException) {
            return INVALID_SIGNATURE;
        }
        if (e instanceof MissingClaimException missing) {
            return claimProblem(missing.getClaimName(), true);
        }
        if (e instanceof IncorrectClaimException incorrect) {
            return claimProblem(incorrect.getClaimName(), false);
        }
        return INVALID;
    }

    private static String claimProblem(String claim, boolean missing) {
        return switch (claim) {
            case "iss" -> ISSUER_NOT_ACCEPTED;
            case "aud" -> AUDIENCE_NOT_ACCEPTED;
            case "nbf" -> NOT_YET_VALID;
            case "iat" -> ISSUED_IN_FUTURE;
            default -> missing ? "the token lacks the required claim " + claim : "the token's claim " + claim + " is not accepted";
        };
    }

    private static CompletionStage<Verdict> rejected(String description) {
        return CompletableFuture.completedFuture(new Verdict.Rejected(description));
    }

    /** Stops the JWKS refreshes, if any. */
    @Override
    public void close() {
        if (jwks != null) {
            jwks.close();
        }
    }
}
