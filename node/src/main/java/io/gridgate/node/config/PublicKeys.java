package io.gridgate.node.config;

import io.gridgate.node.config.ValueType.Checked;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PEM public keys of JWT verification keys, parsed with {@code java.security} while the config
 * loads, so that a key that could never verify a token fails the load instead of every request.
 */
final class PublicKeys {

    static final String PEM = "a PEM public key: -----BEGIN PUBLIC KEY-----, base64, -----END PUBLIC KEY-----";

    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";
    // RFC 7518 3.3: "A key of size 2048 bits or larger MUST be used with these algorithms."
    private static final int MIN_RSA_BITS = 2048;
    private static final List<String> KEY_TYPES = List.of("RSA", "EC", "EdDSA");
    /** The curve each ES algorithm is defined on (RFC 7518 3.4), by its NIST name. */
    private static final Map<String, String> CURVE_OF = Map.of("ES256", "P-256", "ES384", "P-384", "ES512", "P-521");
    private static final Map<String, ECParameterSpec> CURVES = curves();

    private PublicKeys() {
    }

    /**
     * The key as an error shows it: the PEM's first line. Anything that is not a PEM public key may be a
     * secret written into the wrong key, so it is hidden.
     */
    static String shown(String text) {
        String stripped = text.strip();
        if (!stripped.startsWith("-----BEGIN ") || stripped.contains("PRIVATE KEY")) {
            return AuthReader.HIDDEN;
        }
        int newline = stripped.indexOf('\n');
        return YamlNode.quote(newline < 0 ? stripped : stripped.substring(0, newline).strip() + "...");
    }

    /** Checks that {@code text} is a PEM public key that {@code algorithm} (RS, PS or ES) can verify with. */
    static Checked<String> check(String text, String algorithm) {
        String stripped = text.strip();
        if (stripped.contains("PRIVATE KEY")) {
            return Checked.rejected("a PEM public key (" + BEGIN + "), never a private key");
        }
        if (stripped.startsWith("-----BEGIN CERTIFICATE-----")) {
            return Checked.rejected("a PEM public key (" + BEGIN + "), not a certificate");
        }
        if (!stripped.startsWith(BEGIN) || !stripped.endsWith(END)
                || stripped.length() < BEGIN.length() + END.length()) {
            return Checked.rejected(PEM);
        }
        String body = stripped.substring(BEGIN.length(), stripped.length() - END.length()).replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            return Checked.rejected(PEM + ", whose body is valid base64");
        }
        PublicKey key = parse(der);
        if (key == null) {
            return Checked.rejected("a PEM public key that parses as X.509 SubjectPublicKeyInfo (RSA or EC)");
        }
        return algorithm.startsWith("ES") ? fitsEc(key, algorithm) : fitsRsa(key, algorithm);
    }

    private static Checked<String> fitsRsa(PublicKey key, String algorithm) {
        String wanted = "an RSA public key of at least " + MIN_RSA_BITS + " bits for " + algorithm;
        if (!(key instanceof RSAPublicKey rsa)) {
            return Checked.rejected(wanted + "; this is an " + key.getAlgorithm() + " key");
        }
        int bits = rsa.getModulus().bitLength();
        return bits >= MIN_RSA_BITS ? Checked.ok(algorithm)
                : Checked.rejected(wanted + "; this one has " + bits + " bits");
    }

    private static Checked<String> fitsEc(PublicKey key, String algorithm) {
        String curve = CURVE_OF.get(algorithm);
        String wanted = "an EC public key on " + curve + " for " + algorithm;
        if (!(key instanceof ECPublicKey ec)) {
            return Checked.rejected(wanted + "; this is an " + key.getAlgorithm() + " key");
        }
        if (same(ec.getParams(), CURVES.get(curve))) {
            return Checked.ok(algorithm);
        }
        String actual = CURVES.entrySet().stream().filter(e -> same(ec.getParams(), e.getValue()))
                .map(Map.Entry::getKey).findFirst().orElse("another curve");
        return Checked.rejected(wanted + "; this one is on " + actual);
    }

    /** The key, or {@code null} when no known key type parses it. */
    private static PublicKey parse(byte[] der) {
        for (String type : KEY_TYPES) {
            try {
                return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // Not this type (or not DER at all): try the next.
            }
        }
        return null;
    }

    /** {@link ECParameterSpec} has no equals; its parts do. */
    private static boolean same(ECParameterSpec a, ECParameterSpec b) {
        return a.getCurve().equals(b.getCurve()) && a.getGenerator().equals(b.getGenerator())
                && a.getOrder().equals(b.getOrder()) && a.getCofactor() == b.getCofactor();
    }

    private static Map<String, ECParameterSpec> curves() {
        Map<String, ECParameterSpec> curves = new LinkedHashMap<>();
        Map<String, String> standardNames = Map.of("P-256", "secp256r1", "P-384", "secp384r1", "P-521", "secp521r1");
        for (String name : List.of("P-256", "P-384", "P-521")) {
            try {
                AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                parameters.init(new ECGenParameterSpec(standardNames.get(name)));
                curves.put(name, parameters.getParameterSpec(ECParameterSpec.class));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks the standard curve " + name, e);
            }
        }
        return Map.copyOf(curves);
    }
}
