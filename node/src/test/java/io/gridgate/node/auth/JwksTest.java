package io.gridgate.node.auth;

import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.gridgate.cluster.testing.MutableClock;
import io.gridgate.node.auth.JwtVerifierTest.Keys;
import io.gridgate.node.config.AuthConfig.JwtKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Keys from a JSON Web Key Set served by a real local HTTP server that the tests rotate and break. */
class JwksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeyPair RSA_A = JwtVerifierTest.RSA;
    private static final KeyPair RSA_B = JwtVerifierTest.OTHER_RSA;
    private static final KeyPair EC = JwtVerifierTest.EC384;
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final List<JwtVerifier> verifiers = new ArrayList<>();
    private JwksServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = new JwksServer();
    }

    @AfterEach
    void stop() {
        verifiers.forEach(JwtVerifier::close);
        server.stop();
    }

    private JwtVerifier verifier(JwtKey... configured) {
        JwtVerifier verifier = JwtVerifier.start(Keys.issuer(List.of(configured), Optional.of(server.url())), clock);
        verifiers.add(verifier);
        return verifier;
    }

    private String rs256(String kid, KeyPair pair) {
        return Keys.claims(clock).withKeyId(kid).sign(Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate()));
    }

    @Test
    void verifiesTokensWithRsaAndEcKeysOfTheKeySet() {
        server.serve(Keys.jwk("a", RSA_A.getPublic(), null), Keys.jwk("ec", EC.getPublic(), null));
        JwtVerifier verifier = verifier();

        assertThat(Keys.verified(verifier.verify(rs256("a", RSA_A))).consumer()).isEqualTo("alice");
        assertThat(Keys.verified(verifier.verify(Keys.claims(clock).withKeyId("ec").sign(
                Algorithm.ECDSA384((ECPublicKey) EC.getPublic(), (ECPrivateKey) EC.getPrivate())))).consumer()).isEqualTo("alice");
        assertThat(server.fetches()).isEqualTo(1);
        assertThat(verifier.verify(rs256("a", RSA_A)).toCompletableFuture()).as("a known key answers at once").isDone();
    }

    @Test
    void refetchesOnceForAnUnknownKidAndNotAgainWithinTheMinimumInterval() {
        server.serve(Keys.jwk("a", RSA_A.getPublic(), null));
        JwtVerifier verifier = verifier();
        Keys.verified(verifier.verify(rs256("a", RSA_A)));
        clock.advance(MIN_INTERVAL);

        assertThat(Keys.rejected(verifier.verify(rs256("x", RSA_B)))).isEqualTo("the token's key is unknown");
        assertThat(server.fetches()).isEqualTo(2);

        CompletableFuture<Verdict> second = verifier.verify(rs256("y", RSA_B)).toCompletableFuture();
        assertThat(second).as("rate-limited: answered at once").isDone();
        assertThat(second.join()).isEqualTo(new Verdict.Rejected("the token's key is unknown"));
        clock.advance(MIN_INTERVAL.minusSeconds(1));
        assertThat(Keys.rejected(verifier.verify(rs256("z", RSA_B)))).isEqualTo("the token's key is unknown");
        assertThat(server.fetches()).isEqualTo(2);
    }

    @Test
    void verifiesARotatedKeyAfterARefetchAndForgetsTheRetiredOne() {
        server.serve(Keys.jwk("a", RSA_A.getPublic(), null));
        JwtVerifier verifier = verifier();
        Keys.verified(verifier.verify(rs256("a", RSA_A)));

        server.serve(Keys.jwk("b", RSA_B.getPublic(), "RS256"));
        clock.advance(MIN_INTERVAL);

        assertThat(Keys.verified(verifier.verify(rs256("b", RSA_B))).consumer()).isEqualTo("alice");
        assertThat(server.fetches()).isEqualTo(2);
        assertThat(Keys.rejected(verifier.verify(rs256("a", RSA_A)))).as("the set is replaced whole")
                .isEqualTo("the token's key is unknown");
    }

    @Test
    void concurrentVerificationsOfAnUnknownKidShareOneFetch() throws Exception {
        server.serve(Keys.jwk("a", RSA_A.getPublic(), null));
        JwtVerifier verifier = verifier();
        Keys.verified(verifier.verify(rs256("a", RSA_A)));
        server.serve(Keys.jwk("a", RSA_A.getPublic(), null), Keys.jwk("b", RSA_B.getPublic(), null));
        CountDownLatch gate = server.hold();
        clock.advance(MIN_INTERVAL);

        String token = rs256("b", RSA_B);
        List<CompletableFuture<Verdict>> verdicts = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 32; i++) {
                verdicts.add(CompletableFuture.supplyAsync(() -> verifier.verify(token), callers)
                        .thenCompose(stage -> stage));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.fetches() == 2);
            assertThat(verdicts).noneMatch(CompletableFuture::isDone);
            gate.countDown();
            for (CompletableFuture<Verdict> verdict : verdicts) {
                assertThat(Keys.verified(verdict).consumer()).isEqualTo("alice");
            }
        } finally {
            gate.countDown();
            callers.shutdownNow();
        }
        assertThat(server.fetches()).isEqualTo(2);
    }

    @Test
    void keepsThePreviousKeysWhenTheServerIsDown() {
        server.serve(Keys.jwk("a", RSA_A.getPublic(), null));
        JwtVerifier verifier = verifier();
        Keys.verified(verifier.verify(rs256("a", RSA_A)));
        server.stop();
        clock.advance(MIN_INTERVAL);

        assertThat(Keys.rejected(verifier.verify(rs256("b", RSA_B)))).isEqualTo("the token's key is unknown");
        assertThat(Keys.verified(verifier.verify(rs256("a", RSA_A))).consumer()).isEqualTo("alice");
    }

    @Test
    void keepsThePreviousKeysWhenTheServerAnswersWithAnythingButAJsonKeySet() {
        server.serve(Keys.jwk("a", RSA_A.getPublic(), null));
        JwtVerifier verifier = verifier();
        Keys.verified(verifier.verify(rs256("a", RSA_A)));
        String jwks = "{\"keys\":[" + json(Keys.jwk("b", RSA_B.getPublic(), null)) + "]}";

        List<Runnable> breakages = List.of(
                () -> server.answer(500, "application/json", jwks),
                () -> server.answer(200, "text/html", jwks),
                () -> server.answer(200, "application/json", "<html>"),
                () -> server.answer(200, "application/json", "{\"keys\":{}}"),
                () -> server.answer(200, "application/json", "{\"keys\":[], \"pad\":\"" + "x".repeat(JwksSource.MAX_BYTES) + "\"}"),
                () -> server.answerChunked(200, "application/json", "{\"keys\":[], \"pad\":\"" + "x".repeat(JwksSource.MAX_BYTES) + "\"}"));
        int fetches = server.fetches();
        for (Runnable breakage : breakages) {
            breakage.run();
            clock.advance(MIN_INTERVAL);
            assertThat(Keys.rejected(verifier.verify(rs256("b", RSA_B)))).isEqualTo("the token's key is unknown");
            assertThat(server.fetches()).isEqualTo(++fetches);
            assertThat(Keys.verified(verifier.verify(rs256("a", RSA_A))).consumer()).isEqualTo("alice");
        }
    }

    @Test
    void aJwksAlgPinsTheKeysAlgorithm() {
        server.serve(Keys.jwk("pss", RSA_A.getPublic(), "PS256"));
        JwtVerifier verifier = verifier();
        Keys.verified(verifier.verify(Keys.claims(clock).withKeyId("pss").sign(
                Algorithm.RSA256PSS((RSAPublicKey) RSA_A.getPublic(), (RSAPrivateKey) RSA_A.getPrivate()))));

        assertThat(Keys.rejected(verifier.verify(rs256("pss", RSA_A)))).isEqualTo("the token's algorithm is not accepted");
        assertThat(Keys.rejected(verifier.verify(Keys.claims(clock).withKeyId("pss")
                .sign(Algorithm.HMAC256(RSA_A.getPublic().getEncoded()))))).isEqualTo("the token's algorithm is not accepted");
    }

    @Test
    void combinesConfiguredKeysWithTheKeySet() {
        server.serve(Keys.jwk("a", RSA_A.getPublic(), null));
        JwtVerifier verifier = verifier(new JwtKey(Optional.of("local"), "HS256", Optional.of(JwtVerifierTest.SECRET), Optional.empty()));

        assertThat(Keys.verified(verifier.verify(Keys.claims(clock).withKeyId("local")
                .sign(Algorithm.HMAC256(JwtVerifierTest.SECRET)))).consumer()).isEqualTo("alice");
        assertThat(Keys.verified(verifier.verify(rs256("a", RSA_A))).consumer()).isEqualTo("alice");
    }

    @Test
    void skipsKeysItMustNotOrCannotUse() throws IOException {
        Map<String, Object> rsa = Keys.jwk("rsa", RSA_A.getPublic(), null);
        Map<String, Object> ec = Keys.jwk("ec", EC.getPublic(), null);
        Map<String, Object> offCurve = new LinkedHashMap<>(ec);
        offCurve.put("y", Keys.b64(Keys.unsigned(((ECPublicKey) EC.getPublic()).getW().getAffineY().add(BigInteger.ONE), 48)));
        Map<String, Object> shortX = new LinkedHashMap<>(ec);
        shortX.put("x", Keys.b64(new byte[47]));
        String small = Keys.b64(Keys.unsigned(BigInteger.ONE.shiftLeft(1023).add(BigInteger.ONE), 0));

        JwksParser.Result result = JwksParser.parse(("{\"keys\":["
                + json(rsa) + "," + json(ec) + ","
                + "{\"kty\":\"oct\",\"kid\":\"hs\",\"k\":\"c2VjcmV0\"},"
                + json(with(rsa, "use", "enc")) + ","
                + json(with(rsa, "alg", "ES256")) + ","
                + json(with(rsa, "alg", "none")) + ","
                + json(with(ec, "alg", "ES256")) + ","
                + json(with(rsa, "kid", 5)) + ","
                + json(with(rsa, "n", small)) + ","
                + json(with(ec, "crv", "secp256k1")) + ","
                + json(offCurve) + "," + json(shortX) + ","
                + json(with(rsa, "key_ops", List.of("encrypt")))
                + "]}").getBytes(StandardCharsets.UTF_8));

        assertThat(result.keys()).extracting(JwksParser.JwkKey::toString).containsExactly("rsa/RS256", "ec/ES384");
        assertThat(result.skipped()).hasSize(11);
        assertThat(String.join("\n", result.skipped())).doesNotContain(RSA_A.getPublic().toString());
    }

    @Test
    void holdsAtMostAHundredKeysOfASet() throws IOException {
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            keys.append(i == 0 ? "" : ",").append(json(Keys.jwk("k" + i, EC.getPublic(), null)));
        }

        JwksParser.Result result = JwksParser.parse(("{\"keys\":[" + keys + "]}").getBytes(StandardCharsets.UTF_8));

        assertThat(result.keys()).hasSize(JwtKeys.MAX_KEYS);
        assertThat(result.skipped()).hasSize(1);
    }

    private static Map<String, Object> with(Map<String, Object> jwk, String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(jwk);
        copy.put(name, value);
        return copy;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWKS endpoint on an ephemeral port: serves what the test sets, counts requests, can hold them. */
    private static final class JwksServer {

        private final HttpServer http;
        private final ExecutorService executor = Executors.newCachedThreadPool();
        private final AtomicInteger fetches = new AtomicInteger();
        private volatile int status = 200;
        private volatile String contentType = "application/json";
        private volatile String body = "{\"keys\":[]}";
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private volatile boolean chunked;

        JwksServer() throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/jwks", exchange -> {
                fetches.incrementAndGet();
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            http.setExecutor(executor);
            http.start();
        }

        URI url() {
            return URI.create("http://" + http.getAddress().getHostString() + ":" + http.getAddress().getPort() + "/jwks");
        }

        @SafeVarargs
        final void serve(Map<String, Object>... jwks) {
            answer(200, "application/jwk-set+json; charset=utf-8", "{\"keys\":" + json(List.of(jwks)) + "}");
        }

        void answer(int status, String contentType, String body) {
            this.chunked = false;
            this.body = body;
            this.contentType = contentType;
            this.status = status;
        }

        /** Answers without a Content-Length, so only the bound on bytes read can stop the body. */
        void answerChunked(int status, String contentType, String body) {
            answer(status, contentType, body);
            this.chunked = true;
        }

        /** Holds every request until the returned latch opens. */
        CountDownLatch hold() {
            gate = new CountDownLatch(1);
            return gate;
        }

        int fetches() {
            return fetches.get();
        }

        void stop() {
            gate.countDown();
            http.stop(0);
            executor.shutdownNow();
        }
    }
}
