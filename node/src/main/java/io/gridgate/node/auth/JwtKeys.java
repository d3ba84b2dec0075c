package io.gridgate.node.auth;

import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import io.gridgate.node.config.AuthConfig;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An immutable set of an issuer's keys, each pinned to its algorithm and compiled once into a
 * java-jwt verifier that also holds the issuer's claim checks. Sets are never changed, only
 * replaced whole.
 */
final class JwtKeys {

    /** The most keys one set holds; a JWKS with more is cut here. */
    static final int MAX_KEYS = 100;

    static final JwtKeys EMPTY = new JwtKeys(List.of());

    private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String PEM_END = "-----END PUBLIC KEY-----";

    /** Turns a key's algorithm into the verifier that checks signature and claims. */
    @FunctionalInterface
    interface Compiler {
        JWTVerifier compile(Algorithm algorithm);
    }

    /** One key: an optional {@code kid}, the only algorithm it verifies, and its compiled checks. */
    record Key(Optional<String> kid, JwtAlgorithm algorithm, JWTVerifier checks) {

        /** Names the key, never prints it. */
        @Override
        public String toString() {
            return kid.orElse("(no kid)") + "/" + algorithm;
        }
    }

    /**
     * The keys a token may be checked with, or why there are none.
     *
     * @param refetch whether a fresher key set might hold a key for the token
     */
    record Selection(List<Key> candidates, String failure, boolean refetch) {
    }

    private final List<Key> keys;

    private JwtKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    static JwtKeys of(List<Key> keys) {
        if (keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException("keys: " + keys.size() + " (expected: <= " + MAX_KEYS + ")");
        }
        return new JwtKeys(keys);
    }

    /** The keys written in an issuer's config. */
    static JwtKeys fromConfig(String issuerId, List<AuthConfig.JwtKey> configured, Compiler compiler) {
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            AuthConfig.JwtKey key = configured.get(i);
            try {
                keys.add(compile(key, compiler));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("auth.jwt " + issuerId + " keys[" + i + "] " + e.getMessage(), e);
            }
        }
        return of(keys);
    }

    private static Key compile(AuthConfig.JwtKey key, Compiler compiler) {
        JwtAlgorithm algorithm = JwtAlgorithm.named(key.algorithm()).orElseThrow(() -> new IllegalArgumentException(
                "algorithm: " + key.algorithm() + " (expected: one of HS256..512, RS256..512, PS256..512, ES256..512)"));
        Algorithm verifying;
        if (key.secret().isPresent()) {
            verifying = algorithm.withSecret(key.secret().get().getBytes(StandardCharsets.UTF_8));
        } else if (key.publicKeyPem().isPresent()) {
            verifying = algorithm.withPublicKey(publicKey(key.publicKeyPem().get(), algorithm));
        } else {
            throw new IllegalArgumentException("key: neither secret nor publicKeyPem (expected: one of them)");
        }
        return new Key(key.kid(), algorithm, compiler.compile(verifying));
    }

    /** Reads a {@code -----BEGIN PUBLIC KEY-----} PEM (X.509 SubjectPublicKeyInfo). */
    static PublicKey publicKey(String pem, JwtAlgorithm algorithm) {
        int begin = pem.indexOf(PEM_BEGIN);
        int end = pem.indexOf(PEM_END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("publicKeyPem: not a PEM public key (expected: " + PEM_BEGIN + " ... " + PEM_END + ")");
        }
        String body = pem.substring(begin + PEM_BEGIN.length(), end).replaceAll("\\s", "");
        String type = algorithm.family() == JwtAlgorithm.Family.EC ? "EC" : "RSA";
        try {
            return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("publicKeyPem: not an " + type + " public key (expected: one for " + algorithm + ")", e);
        }
    }

    /** This set followed by {@code more}, cut at {@link #MAX_KEYS} keys of {@code more}. */
    JwtKeys plus(List<Key> more) {
        List<Key> all = new ArrayList<>(keys);
        all.addAll(more.subList(0, Math.min(more.size(), MAX_KEYS)));
        return new JwtKeys(all);
    }

    /**
     * A token without a {@code kid} is tried against this many keys at most: each try is a
     * signature check, and a forged kid-less token must not cost a hundred of them.
     */
    static final int MAX_KEYS_WITHOUT_KID = 4;

    int size() {
        return keys.size();
    }

    /**
     * The keys to check a token with: with a {@code kid}, only the keys of that {@code kid}; without,
     * every key, but at most {@link #MAX_KEYS_WITHOUT_KID}. Of these, only the keys whose own
     * algorithm is the one the header names.
     */
    Selection select(String kid, JwtAlgorithm headerAlgorithm) {
        List<Key> named = kid == null ? keys : keys.stream().filter(k -> k.kid().filter(kid::equals).isPresent()).toList();
        List<Key> candidates = named.stream().filter(k -> k.algorithm() == headerAlgorithm)
                .limit(kid == null ? MAX_KEYS_WITHOUT_KID : Long.MAX_VALUE).toList();
        if (!candidates.isEmpty()) {
            return new Selection(candidates, null, false);
        }
        if (kid != null && named.isEmpty()) {
            return new Selection(List.of(), JwtVerifier.UNKNOWN_KEY, true);
        }
        return new Selection(List.of(), JwtVerifier.ALGORITHM_NOT_ACCEPTED, kid == null);
    }

    @Override
    public String toString() {
        return keys.stream().map(Key::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
