package io.gridgate.node.config;

/** A TLS listener beside the plain one, from a PKCS12 or JKS key store; HTTP/2 is offered through ALPN. */
public record TlsConfig(int port, String keyStore, String keyStorePassword, String keyStoreType) {
}
