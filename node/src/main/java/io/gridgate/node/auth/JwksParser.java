package io.gridgate.node.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a JSON Web Key Set (RFC 7517) into public keys pinned to their algorithms. Takes RSA and EC
 * signature keys; skips, with the reason, every key it cannot use (symmetric keys above all: a key
 * set is public, so an {@code oct} key in it would let anyone sign).
 */
final class JwksParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A curve as JWK names it, the JDK's name for it and its coordinate size. */
    private record Curve(String jdkName, int bytes) {
    }

    private static final Map<String, Curve> CURVES = Map.of(
            "P-256", new Curve("secp256r1", 32),
            "P-384", new Curve("secp384r1", 48),
            "P-521", new Curve("secp521r1", 66));

    /** A usable key of the set. */
    record JwkKey(Optional<String> kid, JwtAlgorithm algorithm, PublicKey publicKey) {

        @Override
        public String toString() {
            return kid.orElse("(no kid)") + "/" + algorithm;
        }
    }

    /** The usable keys, at most {@link JwtKeys#MAX_KEYS}, and why each other key was skipped. */
    record Result(List<JwkKey> keys, List<String> skipped) {
    }

    private JwksParser() {
    }

    /** Parses a key set; fails only if the document is no key set at all. */
    static Result parse(byte[] document) throws IOException {
        JsonNode root = JSON.readTree(document);
        JsonNode keys = root == null ? null : root.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new IOException("not a JSON Web Key Set (expected: an object with a \"keys\" array)");
        }
        List<JwkKey> usable = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (usable.size() == JwtKeys.MAX_KEYS) {
                skipped.add("keys[" + i + "..]: beyond " + JwtKeys.MAX_KEYS + " keys");
                break;
            }
            try {
                usable.add(key(keys.get(i)));
            } catch (IllegalArgumentException e) {
                skipped.add("keys[" + i + "]: " + e.getMessage());
            }
        }
        return new Result(List.copyOf(usable), List.copyOf(skipped));
    }

    private static JwkKey key(JsonNode jwk) {
        if (!jwk.isObject()) {
            throw new IllegalArgumentException("not an object");
        }
        Optional<String> use = text(jwk, "use");
        if (use.isPresent() && !use.get().equals("sig")) {
            throw new IllegalArgumentException("use " + use.get() + " (expected: sig)");
        }
        JsonNode ops = jwk.get("key_ops");
        if (ops != null && !(ops.isArray() && contains(ops, "verify"))) {
            throw new IllegalArgumentException("key_ops without verify");
        }
        Optional<String> kid = text(jwk, "kid");
        String kty = text(jwk, "kty").orElse("(none)");
        return switch (kty) {
            case "RSA" -> rsa(jwk, kid);
            case "EC" -> ec(jwk, kid);
            default -> throw new IllegalArgumentException("kty " + kty + " (expected: RSA or EC)");
        };
    }

    private static JwkKey rsa(JsonNode jwk, Optional<String> kid) {
        JwtAlgorithm algorithm = text(jwk, "alg").map(JwksParser::algorithm).orElse(JwtAlgorithm.RS256);
        if (algorithm.family() != JwtAlgorithm.Family.RSA && algorithm.family() != JwtAlgorithm.Family.PSS) {
            throw new IllegalArgumentException("alg " + algorithm + " (expected: RS* or PS* for an RSA key)");
        }
        BigInteger n = unsigned(jwk, "n");
        BigInteger e = unsigned(jwk, "e");
        if (n.bitLength() < JwtAlgorithm.MIN_RSA_BITS) {
            throw new IllegalArgumentException("n: " + n.bitLength() + " bits (expected: >= " + JwtAlgorithm.MIN_RSA_BITS + ")");
        }
        if (!e.testBit(0) || e.compareTo(BigInteger.ONE) <= 0) {
            throw new IllegalArgumentException("e: not an odd exponent above 1");
        }
        try {
            return new JwkKey(kid, algorithm, KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)));
        } catch (GeneralSecurityException ex) {
            throw new IllegalArgumentException("not a valid RSA key", ex);
        }
    }

    private static JwkKey ec(JsonNode jwk, Optional<String> kid) {
        String crv = text(jwk, "crv").orElse("(none)");
        Curve curve = CURVES.get(crv);
        if (curve == null) {
            throw new IllegalArgumentException("crv " + crv + " (expected: P-256, P-384 or P-521)");
        }
        ECParameterSpec params = params(curve);
        JwtAlgorithm own = JwtAlgorithm.forCurve(params.getCurve().getField().getFieldSize()).orElseThrow();
        JwtAlgorithm algorithm = text(jwk, "alg").map(JwksParser::algorithm).orElse(own);
        if (algorithm != own) {
            throw new IllegalArgumentException("alg " + algorithm + " (expected: " + own + " for " + crv + ")");
        }
        BigInteger x = coordinate(jwk, "x", curve.bytes());
        BigInteger y = coordinate(jwk, "y", curve.bytes());
        if (!onCurve(params.getCurve(), x, y)) {
            throw new IllegalArgumentException("x, y: not a point on " + crv);
        }
        try {
            return new JwkKey(kid, algorithm, KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params)));
        } catch (GeneralSecurityException ex) {
            throw new IllegalArgumentException("not a valid EC key", ex);
        }
    }

    private static JwtAlgorithm algorithm(String alg) {
        return JwtAlgorithm.named(alg).orElseThrow(() -> new IllegalArgumentException("alg " + alg + " (expected: a signature algorithm)"));
    }

    private static ECParameterSpec params(Curve curve) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(curve.jdkName()));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks the curve " + curve.jdkName(), e);
        }
    }

    /** Whether {@code y^2 = x^3 + ax + b (mod p)}, with both coordinates in the field. */
    private static boolean onCurve(EllipticCurve curve, BigInteger x, BigInteger y) {
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return y.pow(2).mod(p).equals(right);
    }

    private static BigInteger coordinate(JsonNode jwk, String name, int bytes) {
        byte[] value = bytes(jwk, name);
        if (value.length != bytes) {
            throw new IllegalArgumentException(name + ": " + value.length + " bytes (expected: " + bytes + ")");
        }
        return new BigInteger(1, value);
    }

    private static BigInteger unsigned(JsonNode jwk, String name) {
        return new BigInteger(1, bytes(jwk, name));
    }

    private static byte[] bytes(JsonNode jwk, String name) {
        String value = text(jwk, name).orElseThrow(() -> new IllegalArgumentException(name + ": missing"));
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": not base64url", e);
        }
        if (decoded.length == 0) {
            throw new IllegalArgumentException(name + ": empty");
        }
        return decoded;
    }

    /** A member that must be a string when present. */
    private static Optional<String> text(JsonNode jwk, String name) {
        JsonNode value = jwk.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(name + ": " + value.getNodeType() + " (expected: a string)");
        }
        return Optional.of(value.asText());
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (item.isTextual() && item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
