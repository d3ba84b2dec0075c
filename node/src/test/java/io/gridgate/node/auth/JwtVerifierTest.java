package io.gridgate.node.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import io.gridgate.cluster.testing.MutableClock;
import io.gridgate.node.config.AuthConfig;
import io.gridgate.node.config.AuthConfig.JwtIssuer;
import io.gridgate.node.config.AuthConfig.JwtKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verification of tokens against configured keys: algorithms pinned by the key, claims, identity. */
class JwtVerifierTest {

    static final KeyPair RSA = Keys.rsa();
    static final KeyPair OTHER_RSA = Keys.rsa();
    static final KeyPair EC256 = Keys.ec("secp256r1");
    static final KeyPair EC384 = Keys.ec("secp384r1");
    static final KeyPair EC521 = Keys.ec("secp521r1");
    static final String SECRET = "a-shared-secret-of-at-least-32-bytes!!";

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final List<JwtVerifier> verifiers = new ArrayList<>();

    @AfterEach
    void closeVerifiers() {
        verifiers.forEach(JwtVerifier::close);
    }

    private JwtVerifier verifier(JwtKey... keys) {
        return verifier(Keys.issuer(List.of(keys), Optional.empty()));
    }

    private JwtVerifier verifier(JwtIssuer issuer) {
        JwtVerifier verifier = JwtVerifier.start(issuer, clock);
        verifiers.add(verifier);
        return verifier;
    }

    private JwtVerifier standard() {
        return verifier(
                Keys.rsaKey("rsa", "RS256", RSA.getPublic()),
                Keys.rsaKey("ps", "PS256", RSA.getPublic()),
                Keys.ecKey("es256", "ES256", EC256.getPublic()),
                Keys.ecKey("es384", "ES384", EC384.getPublic()),
                Keys.ecKey("es512", "ES512", EC521.getPublic()),
                new JwtKey(Optional.of("hs"), "HS256", Optional.of(SECRET), Optional.empty()));
    }

    @Test
    void verifiesAnRs256TokenAndReturnsTheIdentityItProves() {
        String token = Keys.claims(clock).withKeyId("rsa")
                .withClaim("scope", "orders:read  orders:write")
                .withArrayClaim("roles", new String[] {"admin", "ops"})
                .withClaim("tenant", Map.of("id", 7, "tags", List.of("a", "b")))
                .sign(Algorithm.RSA256((RSAPublicKey) RSA.getPublic(), (RSAPrivateKey) RSA.getPrivate()));

        Identity identity = Keys.verified(standard().verify(token));

        assertThat(identity.method()).isEqualTo("jwt:idp");
        assertThat(identity.consumer()).isEqualTo("alice");
        assertThat(identity.subject()).contains("alice");
        assertThat(identity.scopes()).containsExactlyInAnyOrder("orders:read", "orders:write");
        assertThat(identity.roles()).containsExactlyInAnyOrder("admin", "ops");
        assertThat(identity.claims()).containsEntry("iss", "https://idp.example").containsEntry("sub", "alice")
                .containsEntry("tenant", Map.of("id", 7, "tags", List.of("a", "b")));
        assertThat(((Number) identity.claims().get("exp")).longValue()).isEqualTo(clock.instant().plusSeconds(300).getEpochSecond());
    }

    @Test
    void verifiesEs256Es384AndEs512TokensWithKeysOnTheirCurves() {
        JwtVerifier verifier = standard();
        assertThat(Keys.verified(verifier.verify(Keys.claims(clock).withKeyId("es256").sign(
                Algorithm.ECDSA256((ECPublicKey) EC256.getPublic(), (ECPrivateKey) EC256.getPrivate())))).consumer()).isEqualTo("alice");
        assertThat(Keys.verified(verifier.verify(Keys.claims(clock).withKeyId("es384").sign(
                Algorithm.ECDSA384((ECPublicKey) EC384.getPublic(), (ECPrivateKey) EC384.getPrivate())))).consumer()).isEqualTo("alice");
        assertThat(Keys.verified(verifier.verify(Keys.claims(clock).withKeyId("es512").sign(
                Algorithm.ECDSA512((ECPublicKey) EC521.getPublic(), (ECPrivateKey) EC521.getPrivate())))).consumer()).isEqualTo("alice");
    }

    @Test
    void verifiesAnHs256Token() {
        String token = Keys.claims(clock).withKeyId("hs").sign(Algorithm.HMAC256(SECRET));

        assertThat(Keys.verified(standard().verify(token)).consumer()).isEqualTo("alice");
    }

    @Test
    void verifiesAPs256TokenSignedByTheJdkItself() throws GeneralSecurityException {
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        String token = Keys.manual("{\"alg\":\"PS256\",\"kid\":\"ps\",\"typ\":\"JWT\"}", Keys.payload(clock), pss, RSA);

        JwtVerifier verifier = standard();
        assertThat(Keys.verified(verifier.verify(token)).consumer()).isEqualTo("alice");

        Signature pkcs1 = Signature.getInstance("SHA256withRSA");
        String pkcs1Signed = Keys.manual("{\"alg\":\"PS256\",\"kid\":\"ps\"}", Keys.payload(clock), pkcs1, RSA);
        assertThat(Keys.rejected(verifier.verify(pkcs1Signed))).as("a PKCS#1 v1.5 signature under a PS256 header")
                .isEqualTo("the signature is invalid");
    }

    @Test
    void rejectsAlgNoneWithOrWithoutAKid() {
        JwtVerifier verifier = standard();
        String payload = Keys.payload(clock);

        assertThat(Keys.rejected(verifier.verify(Keys.unsigned("{\"alg\":\"none\"}", payload))))
                .isEqualTo("the token's algorithm is not accepted");
        assertThat(Keys.rejected(verifier.verify(Keys.unsigned("{\"alg\":\"none\",\"kid\":\"rsa\"}", payload))))
                .isEqualTo("the token's algorithm is not accepted");
        assertThat(Keys.rejected(verifier.verify(Keys.unsigned("{\"alg\":\"NONE\",\"kid\":\"hs\"}", payload))))
                .isEqualTo("the token's algorithm is not accepted");
        assertThat(Keys.rejected(verifier.verify(JWT.create().withSubject("alice")
                .withExpiresAt(clock.instant().plusSeconds(60)).sign(Algorithm.none()))))
                .isEqualTo("the token's algorithm is not accepted");
    }

    @Test
    void neverVerifiesAnHs256TokenWithTheRsaPublicKeyAsItsSecret() {
        JwtVerifier verifier = verifier(Keys.rsaKey("rsa", "RS256", RSA.getPublic()));
        byte[] der = RSA.getPublic().getEncoded();
        byte[] pem = Keys.pem(RSA.getPublic()).getBytes(StandardCharsets.US_ASCII);

        for (byte[] secret : List.of(der, pem)) {
            assertThat(Keys.rejected(verifier.verify(Keys.claims(clock).withKeyId("rsa").sign(Algorithm.HMAC256(secret)))))
                    .isEqualTo("the token's algorithm is not accepted");
            assertThat(Keys.rejected(verifier.verify(Keys.claims(clock).sign(Algorithm.HMAC256(secret)))))
                    .isEqualTo("the token's algorithm is not accepted");
        }
    }

    @Test
    void rejectsATokenWhoseKidNamesAKeyOfAnotherAlgorithm() {
        JwtVerifier verifier = standard();
        Algorithm rs384 = Algorithm.RSA384((RSAPublicKey) RSA.getPublic(), (RSAPrivateKey) RSA.getPrivate());
        Algorithm rs256 = Algorithm.RSA256((RSAPublicKey) RSA.getPublic(), (RSAPrivateKey) RSA.getPrivate());

        assertThat(Keys.rejected(verifier.verify(Keys.claims(clock).withKeyId("rsa").sign(rs384))))
                .isEqualTo("the token's algorithm is not accepted");
        assertThat(Keys.rejected(verifier.verify(Keys.claims(clock).withKeyId("ps").sign(rs256))))
                .as("an RS256 signature checked against a key pinned to PS256")
                .isEqualTo("the token's algorithm is not accepted");
        assertThat(Keys.rejected(verifier.verify(Keys.claims(clock).withKeyId("es256").sign(rs256))))
                .isEqualTo("the token's algorithm is not accepted");
    }

    @Test
    void rejectsAnExpiredToken() {
        String token = Keys.claims(clock).withKeyId("hs").withExpiresAt(clock.instant().minusSeconds(61)).sign(Algorithm.HMAC256(SECRET));

        assertThat(Keys.rejected(standard().verify(token))).isEqualTo("the token has expired");
    }

    @Test
    void acceptsAnExpiredTokenWithinTheLeeway() {
        JwtVerifier verifier = standard();
        String token = Keys.claims(clock).withKeyId("hs").withExpiresAt(clock.instant().plusSeconds(10)).sign(Algorithm.HMAC256(SECRET));

        clock.advance(Duration.ofSeconds(69));
        assertThat(Keys.verified(verifier.verify(token)).consumer()).isEqualTo("alice");
        clock.advance(Duration.ofSeconds(1));
        assertThat(Keys.rejected(verifier.verify(token))).isEqualTo("the token has expired");
    }

    @Test
    void rejectsATokenWithoutExpByDefault() {
        String token = JWT.create().withKeyId("hs").withIssuer("https://idp.example").withAudience("gridgate")
                .withSubject("alice").sign(Algorithm.HMAC256(SECRET));

        assertThat(Keys.rejected(standard().verify(token))).isEqualTo("the token lacks the required claim exp");
    }

    @Test
    void rejectsATokenWhoseTimeClaimsAreNoTimes() {
        JwtVerifier verifier = standard();
        String never = Keys.claims(clock).withKeyId("hs").withClaim("exp", "never").sign(Algorithm.HMAC256(SECRET));
        String nullExp = Keys.claims(clock).withKeyId("hs").withNullClaim("exp").sign(Algorithm.HMAC256(SECRET));
        String textNbf = Keys.claims(clock).withKeyId("hs").withClaim("nbf", "2031-01-01").sign(Algorithm.HMAC256(SECRET));
        String nullNbf = Keys.claims(clock).withKeyId("hs").withNullClaim("nbf").sign(Algorithm.HMAC256(SECRET));

        assertThat(Keys.rejected(verifier.verify(never))).isEqualTo("the token is malformed");
        assertThat(Keys.rejected(verifier.verify(textNbf))).isEqualTo("the token is malformed");
        assertThat(Keys.rejected(verifier.verify(nullExp))).as("java-jwt reads a null exp as none")
                .isEqualTo("the token lacks the required claim exp");
        assertThat(Keys.rejected(verifier.verify(nullNbf))).as("java-jwt lets a null nbf pass")
                .isEqualTo("the token's claim nbf is not a time");
    }

    @Test
    void rejectsATokenNotValidBeforeATimeBeyondTheLeeway() {
        JwtVerifier verifier = standard();
        String soon = Keys.claims(clock).withKeyId("hs").withNotBefore(clock.instant().plusSeconds(60)).sign(Algorithm.HMAC256(SECRET));
        String later = Keys.claims(clock).withKeyId("hs").withNotBefore(clock.instant().plusSeconds(61)).sign(Algorithm.HMAC256(SECRET));
        String issuedLater = Keys.claims(clock).withKeyId("hs").withIssuedAt(clock.instant().plusSeconds(120)).sign(Algorithm.HMAC256(SECRET));

        assertThat(Keys.verified(verifier.verify(soon)).consumer()).isEqualTo("alice");
        assertThat(Keys.rejected(verifier.verify(later))).isEqualTo("the token is not valid yet");
        assertThat(Keys.rejected(verifier.verify(issuedLater))).isEqualTo("the token was issued in the future");
    }

    @Test
    void rejectsATokenForAnotherAudience() {
        JwtVerifier verifier = standard();
        String other = Keys.claims(clock).withKeyId("hs").withAudience("billing").sign(Algorithm.HMAC256(SECRET));
        String none = JWT.create().withKeyId("hs").withIssuer("https://idp.example").withSubject("alice")
                .withExpiresAt(clock.instant().plusSeconds(60)).sign(Algorithm.HMAC256(SECRET));
        String oneOfMany = Keys.claims(clock).withKeyId("hs").withAudience("billing", "gridgate").sign(Algorithm.HMAC256(SECRET));

        assertThat(Keys.rejected(verifier.verify(other))).isEqualTo("the token's audience is not accepted");
        assertThat(Keys.rejected(verifier.verify(none))).isEqualTo("the token's audience is not accepted");
        assertThat(Keys.verified(verifier.verify(oneOfMany)).consumer()).isEqualTo("alice");
    }

    @Test
    void rejectsATokenFromAnotherIssuer() {
        String token = Keys.claims(clock).withKeyId("hs").withIssuer("https://evil.example").sign(Algorithm.HMAC256(SECRET));

        assertThat(Keys.rejected(standard().verify(token))).isEqualTo("the token's issuer is not accepted");
    }

    @Test
    void rejectsATamperedPayload() {
        JwtVerifier verifier = standard();
        for (String token : List.of(
                Keys.claims(clock).withKeyId("rsa").sign(Algorithm.RSA256((RSAPublicKey) RSA.getPublic(), (RSAPrivateKey) RSA.getPrivate())),
                Keys.claims(clock).withKeyId("es256").sign(Algorithm.ECDSA256((ECPublicKey) EC256.getPublic(), (ECPrivateKey) EC256.getPrivate())),
                Keys.claims(clock).withKeyId("hs").sign(Algorithm.HMAC256(SECRET)))) {
            String[] parts = token.split("\\.");
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("alice", "mallory");
            String tampered = parts[0] + "." + Keys.b64(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

            assertThat(Keys.rejected(verifier.verify(tampered))).isEqualTo("the signature is invalid");
        }
    }

    @Test
    void rejectsAnEmptySignatureAndAnAllZeroEcdsaSignature() {
        JwtVerifier verifier = standard();
        String payload = Keys.payload(clock);

        for (String header : List.of("{\"alg\":\"RS256\",\"kid\":\"rsa\"}", "{\"alg\":\"PS256\",\"kid\":\"ps\"}",
                "{\"alg\":\"ES256\",\"kid\":\"es256\"}", "{\"alg\":\"HS256\",\"kid\":\"hs\"}", "{\"alg\":\"ES256\"}")) {
            assertThat(Keys.rejected(verifier.verify(Keys.unsigned(header, payload)))).as(header).isEqualTo("the signature is invalid");
        }
        assertThat(Keys.rejected(verifier.verify(Keys.signed("{\"alg\":\"ES256\",\"kid\":\"es256\"}", payload, new byte[64]))))
                .isEqualTo("the signature is invalid");
        assertThat(Keys.rejected(verifier.verify(Keys.signed("{\"alg\":\"ES512\",\"kid\":\"es512\"}", payload, new byte[132]))))
                .isEqualTo("the signature is invalid");
        assertThat(Keys.rejected(verifier.verify(Keys.unsigned("{\"alg\":\"ES256\",\"kid\":\"es256\"}", payload) + "!!!")))
                .isEqualTo("the signature is invalid");
    }

    @Test
    void withoutAKidTriesEveryKeyOfTheHeadersAlgorithm() {
        String second = "another-shared-secret-of-32-bytes-or-more";
        JwtVerifier verifier = verifier(
                new JwtKey(Optional.of("one"), "HS256", Optional.of(SECRET), Optional.empty()),
                new JwtKey(Optional.empty(), "HS256", Optional.of(second), Optional.empty()),
                Keys.rsaKey("rsa", "RS256", OTHER_RSA.getPublic()));

        assertThat(Keys.verified(verifier.verify(Keys.claims(clock).sign(Algorithm.HMAC256(second)))).consumer()).isEqualTo("alice");
        assertThat(Keys.verified(verifier.verify(Keys.claims(clock).sign(Algorithm.HMAC256(SECRET)))).consumer()).isEqualTo("alice");
        assertThat(Keys.rejected(verifier.verify(Keys.claims(clock).sign(Algorithm.HMAC256("yet-another-secret-that-is-long-enough")))))
                .isEqualTo("the signature is invalid");
        assertThat(Keys.rejected(verifier.verify(Keys.claims(clock).sign(Algorithm.HMAC384(SECRET + SECRET)))))
                .isEqualTo("the token's algorithm is not accepted");
    }

    @Test
    void rejectsAnUnknownKidAtOnceWithoutAKeySetUrl() {
        String token = Keys.claims(clock).withKeyId("elsewhere").sign(Algorithm.HMAC256(SECRET));

        CompletableFuture<Verdict> verdict = standard().verify(token).toCompletableFuture();

        assertThat(verdict).isDone();
        assertThat(verdict.join()).isEqualTo(new Verdict.Rejected("the token's key is unknown"));
    }

    @Test
    void answersAKnownKeyWithACompletedStage() {
        String token = Keys.claims(clock).withKeyId("rsa").sign(Algorithm.RSA256((RSAPublicKey) RSA.getPublic(), (RSAPrivateKey) RSA.getPrivate()));

        assertThat(standard().verify(token).toCompletableFuture()).isDone();
    }

    @Test
    void rejectsWhatIsNoTokenAndHeadersItCannotHonour() {
        JwtVerifier verifier = standard();
        String payload = Keys.payload(clock);

        assertThat(Keys.rejected(verifier.verify(""))).isEqualTo("the token is malformed");
        assertThat(Keys.rejected(verifier.verify("not.a.token"))).isEqualTo("the token is malformed");
        assertThat(Keys.rejected(verifier.verify("a".repeat(20_000)))).isEqualTo("the token is too large");
        assertThat(Keys.rejected(verifier.verify(Keys.unsigned("{\"alg\":\"HS256\",\"kid\":7}", payload)))).isEqualTo("the token is malformed");
        assertThat(Keys.rejected(verifier.verify(Keys.unsigned("{\"alg\":\"HS256\",\"kid\":\"hs\",\"crit\":[\"b64\"],\"b64\":false}", payload))))
                .isEqualTo("the token's header is not accepted");
    }

    @Test
    void takesTheConsumerFromTheConfiguredClaim() {
        JwtIssuer issuer = Keys.issuer(List.of(new JwtKey(Optional.empty(), "HS256", Optional.of(SECRET), Optional.empty())), Optional.empty());
        JwtVerifier verifier = verifier(new JwtIssuer(issuer.id(), issuer.keys(), issuer.jwksUrl(), issuer.jwksRefresh(),
                issuer.jwksMinInterval(), issuer.issuer(), issuer.audience(), issuer.leeway(), issuer.requiredClaims(), "client_id", issuer.from()));

        Identity identity = Keys.verified(verifier.verify(Keys.claims(clock).withClaim("client_id", "mobile-app")
                .withArrayClaim("scp", new String[] {"read", "write"}).sign(Algorithm.HMAC256(SECRET))));
        assertThat(identity.consumer()).isEqualTo("mobile-app");
        assertThat(identity.subject()).contains("alice");
        assertThat(identity.scopes()).containsExactlyInAnyOrder("read", "write");
        assertThat(identity.roles()).isEmpty();

        assertThat(Keys.rejected(verifier.verify(Keys.claims(clock).sign(Algorithm.HMAC256(SECRET)))))
                .isEqualTo("the token lacks the consumer claim client_id");
        assertThat(Keys.rejected(verifier.verify(Keys.claims(clock).withClaim("client_id", Map.of("x", 1)).sign(Algorithm.HMAC256(SECRET)))))
                .isEqualTo("the token's consumer claim client_id is not a string");
    }

    @Test
    void refusesToStartWithAKeyThatDoesNotSuitItsAlgorithm() {
        assertThatThrownBy(() -> verifier(Keys.rsaKey("k", "ES256", RSA.getPublic())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys[0]").hasMessageContaining("ES256");
        assertThatThrownBy(() -> verifier(Keys.ecKey("k", "ES384", EC256.getPublic())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("curve");
        assertThatThrownBy(() -> verifier(new JwtKey(Optional.empty(), "HS512", Optional.of(SECRET), Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: >= 64").hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> verifier(new JwtKey(Optional.empty(), "none", Optional.of(SECRET), Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("algorithm: none");
    }

    /** Keys, issuers and tokens for the JWT tests. */
    static final class Keys {

        private Keys() {
        }

        static KeyPair rsa() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        static KeyPair ec(String curve) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec(curve));
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        static JwtIssuer issuer(List<JwtKey> keys, Optional<URI> jwksUrl) {
            return new JwtIssuer("idp", keys, jwksUrl, Duration.ofHours(1), Duration.ofSeconds(30),
                    Optional.of("https://idp.example"), List.of("gridgate"), Duration.ofSeconds(60), List.of("exp"), "sub",
                    AuthConfig.TokenSource.BEARER);
        }

        static JwtKey rsaKey(String kid, String algorithm, PublicKey key) {
            return new JwtKey(Optional.of(kid), algorithm, Optional.empty(), Optional.of(pem(key)));
        }

        static JwtKey ecKey(String kid, String algorithm, PublicKey key) {
            return rsaKey(kid, algorithm, key);
        }

        static String pem(PublicKey key) {
            return "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
        }

        /** The claims of a good token: right issuer and audience, expiring in five minutes. */
        static JWTCreator.Builder claims(Clock clock) {
            return JWT.create().withIssuer("https://idp.example").withAudience("gridgate").withSubject("alice")
                    .withIssuedAt(clock.instant()).withExpiresAt(clock.instant().plusSeconds(300));
        }

        static String payload(Clock clock) {
            return "{\"iss\":\"https://idp.example\",\"aud\":\"gridgate\",\"sub\":\"alice\",\"exp\":"
                    + clock.instant().plusSeconds(300).getEpochSecond() + "}";
        }

        static String b64(byte[] bytes) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }

        static String unsigned(String header, String payload) {
            return b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(payload.getBytes(StandardCharsets.UTF_8)) + ".";
        }

        static String signed(String header, String payload, byte[] signature) {
            return unsigned(header, payload) + b64(signature);
        }

        /** A token signed by the JDK's own {@code signature}, not by java-jwt. */
        static String manual(String header, String payload, Signature signature, KeyPair pair) throws GeneralSecurityException {
            String input = unsigned(header, payload);
            signature.initSign(pair.getPrivate());
            signature.update(input.substring(0, input.length() - 1).getBytes(StandardCharsets.US_ASCII));
            return input + b64(signature.sign());
        }

        /** A JWK of a public key, as a JWKS server would publish it. */
        static Map<String, Object> jwk(String kid, PublicKey key, String alg) {
            Map<String, Object> jwk = new LinkedHashMap<>();
            if (kid != null) {
                jwk.put("kid", kid);
            }
            if (key instanceof RSAPublicKey rsa) {
                jwk.put("kty", "RSA");
                jwk.put("n", b64(unsigned(rsa.getModulus(), 0)));
                jwk.put("e", b64(unsigned(rsa.getPublicExponent(), 0)));
            } else {
                ECPublicKey ec = (ECPublicKey) key;
                int bits = ec.getParams().getCurve().getField().getFieldSize();
                int size = (bits + 7) / 8;
                jwk.put("kty", "EC");
                jwk.put("crv", bits == 521 ? "P-521" : "P-" + bits);
                jwk.put("x", b64(unsigned(ec.getW().getAffineX(), size)));
                jwk.put("y", b64(unsigned(ec.getW().getAffineY(), size)));
            }
            if (alg != null) {
                jwk.put("alg", alg);
            }
            return jwk;
        }

        /** Big-endian magnitude, left-padded to {@code size} bytes when given. */
        static byte[] unsigned(BigInteger value, int size) {
            byte[] bytes = value.toByteArray();
            int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
            int length = bytes.length - start;
            byte[] out = new byte[Math.max(size, length)];
            System.arraycopy(bytes, start, out, out.length - length, length);
            return out;
        }

        static Identity verified(CompletionStage<Verdict> stage) {
            Verdict verdict = await(stage);
            assertThat(verdict).isInstanceOf(Verdict.Verified.class);
            return ((Verdict.Verified) verdict).identity();
        }

        static String rejected(CompletionStage<Verdict> stage) {
            Verdict verdict = await(stage);
            assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
            return ((Verdict.Rejected) verdict).description();
        }

        static Verdict await(CompletionStage<Verdict> stage) {
            try {
                return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("no verdict", e);
            }
        }
    }
}
