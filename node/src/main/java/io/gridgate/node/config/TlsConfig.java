package io.gridgate.node.config;

import java.util.Optional;

/**
 * A TLS listener beside the plain one (TLS 1.2 and 1.3 only), with its key either in a PKCS12 or
 * JKS key store or in PEM files (a certificate chain and a PKCS#8 private key); HTTP/2 is offered
 * through ALPN.
 *
 * @param keyStore a key store path; empty exactly when {@code certificate} and {@code privateKey} are given
 * @param keyStorePassword the key store's password; empty with PEM files
 * @param certificate a PEM file of the certificate chain, the server's own certificate first
 * @param privateKey a PEM file of the unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----})
 */
public record TlsConfig(int port, Optional<String> keyStore, Optional<String> keyStorePassword, String keyStoreType,
                        Optional<String> certificate, Optional<String> privateKey) {

    /** A listener whose key is in a key store. */
    public static TlsConfig keyStore(int port, String keyStore, String password, String type) {
        return new TlsConfig(port, Optional.of(keyStore), Optional.of(password), type, Optional.empty(), Optional.empty());
    }

    /** A listener whose key and certificates are in PEM files. */
    public static TlsConfig pem(int port, String certificate, String privateKey) {
        return new TlsConfig(port, Optional.empty(), Optional.empty(), "PKCS12", Optional.of(certificate), Optional.of(privateKey));
    }

    /** Never prints the password, so a logged config leaks no secret. */
    @Override
    public String toString() {
        return "TlsConfig[port=" + port + ", keyStore=" + keyStore.orElse("(none)") + ", keyStorePassword=(hidden)"
                + ", keyStoreType=" + keyStoreType + ", certificate=" + certificate.orElse("(none)")
                + ", privateKey=" + privateKey.orElse("(none)") + "]";
    }
}
