package io.gridgate.node.config;

/** A TLS listener beside the plain one, from a PKCS12 or JKS key store; HTTP/2 is offered through ALPN. */
public record TlsConfig(int port, String keyStore, String keyStorePassword, String keyStoreType) {

    /** Never prints the password, so a logged config leaks no secret. */
    @Override
    public String toString() {
        return "TlsConfig[port=" + port + ", keyStore=" + keyStore + ", keyStorePassword=(hidden), keyStoreType="
                + keyStoreType + "]";
    }
}
