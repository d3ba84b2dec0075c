package io.gridgate.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * Turns PEM files, as certificate authorities and cert-manager issue them, into the key store the
 * TLS context needs: the certificate chain (server first) and an unencrypted PKCS#8 key.
 */
final class PemKeys {

    private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
    private static final String END_KEY = "-----END PRIVATE KEY-----";

    private PemKeys() {
    }

    static KeyStore keyStore(Path certificate, Path privateKey) throws IOException, GeneralSecurityException {
        List<Certificate> chain = certificates(certificate);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no PEM certificate in " + certificate);
        }
        PrivateKey key = privateKey(Files.readString(privateKey, StandardCharsets.US_ASCII), privateKey);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("gridgate", key, new char[0], chain.toArray(Certificate[]::new));
        return store;
    }

    private static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
            return List.copyOf(all);
        }
    }

    private static PrivateKey privateKey(String pem, Path file) throws GeneralSecurityException {
        int begin = pem.indexOf(BEGIN_KEY);
        int end = pem.indexOf(END_KEY);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("no " + BEGIN_KEY + " block in " + file
                    + " (convert an RSA or EC key with: openssl pkcs8 -topk8 -nocrypt)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN_KEY.length(), end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisKind) {
                // try the next kind of key
            }
        }
        throw new IllegalArgumentException("the key in " + file + " is not an RSA, EC or Ed25519 PKCS#8 key");
    }
}
