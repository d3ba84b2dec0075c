package io.gridgate.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.testing.NodeProcess;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routes and composition calls to {@code https://} upstreams, through the node's real TLS client.
 * The node runs in a JVM of its own because it trusts what {@code SSLContext.getDefault()} trusts,
 * which is fixed once per JVM by {@code javax.net.ssl.trustStore}.
 */
class UpstreamTlsIT {

    private static final String PASSWORD = "changeit";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final List<Undertow> upstreams = new ArrayList<>();
    private NodeProcess node;
    /** Per path the upstream saw: whether it came over TLS. */
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        if (node != null) {
            node.process().destroyForcibly();
        }
        upstreams.forEach(Undertow::stop);
    }

    @Test
    void proxiesAndComposesOverTlsAndRefusesACertificateForAnotherHost() throws Exception {
        // Both certificates are trusted, so the wrong one can only be refused for the name it carries.
        Path good = keyStore("good", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        Path wrong = keyStore("wrong", "CN=wrong.example", "SAN=dns:wrong.example");
        Path trust = dir.resolve("trust.p12");
        for (String alias : List.of("good", "wrong")) {
            keytool("-importcert", "-noprompt", "-alias", alias, "-file", dir.resolve(alias + ".crt").toString(),
                    "-keystore", trust.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        }
        int goodPort = upstream(good);
        int wrongPort = upstream(wrong);

        int port = NodeProcess.freePort();
        int adminPort = NodeProcess.freePort();
        // localhost, not 127.0.0.1: the name the certificates are checked against is the URL's host.
        Path config = Files.writeString(dir.resolve("gridgate.yaml"), """
                server: {bindAddress: 127.0.0.1, port: %d, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: %d}
                cluster: {name: tls-%d, bindAddress: 127.0.0.1, port: %d}
                accessLog: {enabled: false}
                routes:
                  - id: good
                    match: {pathPrefix: /good}
                    upstream: "https://localhost:%d"
                    hostHeader: upstream
                    timeouts: {connect: 2s, responseHeader: 2s, total: 5s}
                    retry: {attempts: 1}
                  - id: wrong
                    match: {pathPrefix: /wrong}
                    upstream: "https://localhost:%d"
                    hostHeader: upstream
                    timeouts: {connect: 2s, responseHeader: 2s, total: 5s}
                    retry: {attempts: 1}
                  - id: good-view
                    match: {path: /views/good}
                    compose:
                      timeout: 2s
                      calls: [{id: good, upstream: "https://localhost:%d", path: /good/composed}]
                  - id: wrong-view
                    match: {path: /views/wrong}
                    compose:
                      timeout: 2s
                      calls: [{id: wrong, upstream: "https://localhost:%d", path: /wrong/composed}]
                """.formatted(port, adminPort, ProcessHandle.current().pid(), NodeProcess.freePort(),
                goodPort, wrongPort, goodPort, wrongPort));
        node = NodeProcess.start(config, port, adminPort, List.of("-Djavax.net.ssl.trustStore=" + trust,
                "-Djavax.net.ssl.trustStorePassword=" + PASSWORD, "-Djavax.net.ssl.trustStoreType=PKCS12"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
            assertThat(node.process().isAlive()).as("alive; output:%n%s", output()).isTrue();
            assertThat(get(node.admin("/health/ready").toString()).statusCode()).isEqualTo(200);
        });

        HttpResponse<String> proxied = get(node.traffic("/good/x").toString());
        assertThat(proxied.statusCode()).as("%s%noutput:%n%s", proxied.body(), output()).isEqualTo(200);
        assertThat(JSON.readTree(proxied.body()).path("path").asText()).isEqualTo("/good/x");
        assertThat(seen).as("the upstream saw it over TLS").containsEntry("/good/x", true);

        HttpResponse<String> refused = get(node.traffic("/wrong/x").toString());
        assertGatewayError(refused, 502, Reason.UPSTREAM_RESET.code());
        assertThat(seen).as("the refused handshake sent no request").doesNotContainKey("/wrong/x");

        HttpResponse<String> composed = get(node.traffic("/views/good").toString());
        assertThat(composed.statusCode()).as("%s%noutput:%n%s", composed.body(), output()).isEqualTo(200);
        assertThat(JSON.readTree(composed.body()).at("/good/path").asText()).isEqualTo("/good/composed");
        assertThat(seen).containsEntry("/good/composed", true);

        HttpResponse<String> composedRefused = get(node.traffic("/views/wrong").toString());
        JsonNode error = assertGatewayError(composedRefused, 502, Reason.CALL_FAILED.code());
        assertThat(error.path("call").asText()).isEqualTo("wrong");
        assertThat(seen).doesNotContainKey("/wrong/composed");
    }

    private JsonNode assertGatewayError(HttpResponse<String> response, int status, String code) throws IOException {
        assertThat(response.statusCode()).as("%s%noutput:%n%s", response.body(), output()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").asText()).as(response.body()).isEqualTo(code);
        // A composition's message may name the exception's class, by design; its frames never.
        assertThat(response.body()).doesNotContain("\tat ", "\n", "Caused by", "javax.net.ssl");
        return body;
    }

    /** A PKCS12 key store with one self-signed EC certificate, which is also exported to {@code alias.crt}. */
    private Path keyStore(String alias, String subject, String san) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", subject,
                "-ext", san, "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", alias, "-file", dir.resolve(alias + ".crt").toString(),
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        return store;
    }

    private void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Read before waiting, so a chatty keytool cannot block on a full pipe.
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("keytool finished: %s", out).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0], out).isZero();
    }

    /** An HTTPS upstream answering every path with JSON naming it; returns its port. */
    private int upstream(Path keyStore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);
        Undertow undertow = Undertow.builder().addHttpsListener(0, "127.0.0.1", tls).setIoThreads(1).setWorkerThreads(2)
                .setHandler(exchange -> {
                    seen.put(exchange.getRequestPath(), exchange.getConnection().getSslSessionInfo() != null);
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                    exchange.getResponseSender().send(JSON.createObjectNode().put("path", exchange.getRequestPath()).toString());
                }).build();
        undertow.start();
        upstreams.add(undertow);
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    private HttpResponse<String> get(String uri) throws Exception {
        return client.send(HttpRequest.newBuilder(java.net.URI.create(uri)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String output() {
        return node == null ? "" : String.join("\n", node.output());
    }
}
