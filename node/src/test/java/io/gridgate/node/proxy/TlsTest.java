package io.gridgate.node.proxy;

import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;
    private TestUpstream upstream;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    /** A self-signed certificate for 127.0.0.1, made by the JDK's own keytool. */
    private Path keyStore() throws Exception {
        Path store = dir.resolve("gateway.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "gateway", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        return store;
    }

    private static SSLContext trusting(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void servesHttp2OverTlsNegotiatedByAlpn() throws Exception {
        Path store = keyStore();
        upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("secure " + exchange.getRequestURI()));
        gateway = TestGateway.start("""
                server:
                  bindAddress: 127.0.0.1
                  port: 0
                  ioThreads: 1
                  tls: {port: 0, keyStore: "%s", keyStorePassword: %s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                routes:
                  - {id: all, upstream: "%s"}
                """.formatted(store, PASSWORD, upstream.url()));
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(store)).version(HttpClient.Version.HTTP_2).build();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + gateway.node().tlsPort() + "/hello")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).isEqualTo("secure /hello");
    }

    /** The same key and certificate as PEM files, the form certificate authorities and cert-manager hand out. */
    private Path[] pemFiles(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        java.util.Base64.Encoder base64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes());
        Path certificate = Files.writeString(dir.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\n"
                + base64.encodeToString(keys.getCertificate("gateway").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Path key = Files.writeString(dir.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\n"
                + base64.encodeToString(keys.getKey("gateway", PASSWORD.toCharArray()).getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return new Path[] {certificate, key};
    }

    @Test
    void servesTlsFromPemFilesAndOffersNothingOlderThanTls12() throws Exception {
        Path store = keyStore();
        Path[] pem = pemFiles(store);
        upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("secure"));
        gateway = TestGateway.start("""
                server:
                  bindAddress: 127.0.0.1
                  port: 0
                  ioThreads: 1
                  tls: {port: 0, certificate: "%s", privateKey: "%s"}
                admin: {bindAddress: 127.0.0.1, port: 0}
                routes:
                  - {id: all, upstream: "%s"}
                """.formatted(pem[0], pem[1], upstream.url()));
        SSLContext context = trusting(store);

        HttpClient client = HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + gateway.node().tlsPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("secure");

        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                .createSocket("127.0.0.1", gateway.node().tlsPort())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
    }
}
