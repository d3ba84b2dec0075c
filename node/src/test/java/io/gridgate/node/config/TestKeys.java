package io.gridgate.node.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Base64;
import java.util.stream.Collectors;

/** Real public keys, generated once per test run and PEM-encoded as a config holds them. */
final class TestKeys {

    static final String RSA_2048 = pem(generate("RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4)));
    static final String RSA_1024 = pem(generate("RSA", new RSAKeyGenParameterSpec(1024, RSAKeyGenParameterSpec.F4)));
    static final String EC_P256 = pem(generate("EC", new ECGenParameterSpec("secp256r1")));
    static final String EC_P384 = pem(generate("EC", new ECGenParameterSpec("secp384r1")));
    static final String EC_P521 = pem(generate("EC", new ECGenParameterSpec("secp521r1")));

    private TestKeys() {
    }

    /** {@code -----BEGIN PUBLIC KEY-----}, the MIME base64 of the X.509 encoding, the end line, a newline. */
    static String pem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    /** The lines of a block scalar's content, each indented by {@code spaces}, without a final newline. */
    static String indented(String pem, int spaces) {
        return pem.lines().map(line -> " ".repeat(spaces) + line).collect(Collectors.joining("\n"));
    }

    /** The PEM as one double-quoted YAML scalar, so that it takes a single line of a test document. */
    static String quoted(String pem) {
        return "\"" + pem.replace("\n", "\\n") + "\"";
    }

    private static PublicKey generate(String algorithm, AlgorithmParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(spec);
            return generator.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
