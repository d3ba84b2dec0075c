package io.gridgate.node.auth;

import com.auth0.jwt.algorithms.Algorithm;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;

/**
 * The JWS algorithms Gridgate accepts, each bound to the kind of key it needs. A key is turned into
 * a java-jwt {@link Algorithm} only through here, so an RSA key can only ever verify RS or PS
 * signatures and a secret only HS ones. {@code none} is not among them.
 */
enum JwtAlgorithm {

    HS256(Family.HMAC, 256), HS384(Family.HMAC, 384), HS512(Family.HMAC, 512),
    RS256(Family.RSA, 256), RS384(Family.RSA, 384), RS512(Family.RSA, 512),
    PS256(Family.PSS, 256), PS384(Family.PSS, 384), PS512(Family.PSS, 512),
    ES256(Family.EC, 256), ES384(Family.EC, 384), ES512(Family.EC, 512);

    /** RFC 7518 section 3.3: RSA keys below this size must not be used. */
    static final int MIN_RSA_BITS = 2048;

    /** The kind of key an algorithm needs. */
    enum Family { HMAC, RSA, PSS, EC }

    private final Family family;
    private final int hashBits;

    JwtAlgorithm(Family family, int hashBits) {
        this.family = family;
        this.hashBits = hashBits;
    }

    /** The algorithm a JOSE header or a config names, exactly as spelled (JWS names are case-sensitive). */
    static Optional<JwtAlgorithm> named(String name) {
        for (JwtAlgorithm algorithm : values()) {
            if (algorithm.name().equals(name)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** The ES algorithm of a curve with this field size: 256, 384 or 521 bits. */
    static Optional<JwtAlgorithm> forCurve(int fieldBits) {
        return switch (fieldBits) {
            case 256 -> Optional.of(ES256);
            case 384 -> Optional.of(ES384);
            case 521 -> Optional.of(ES512);
            default -> Optional.empty();
        };
    }

    Family family() {
        return family;
    }

    /** The field size of the curve an ES algorithm signs on: P-256, P-384 or P-521. */
    int curveBits() {
        return this == ES512 ? 521 : hashBits;
    }

    /** The java-jwt algorithm that checks HS signatures with this secret. */
    Algorithm withSecret(byte[] secret) {
        if (family != Family.HMAC) {
            throw new IllegalArgumentException("secret: given (expected: a public key for " + this + ")");
        }
        if (secret.length < hashBits / 8) {
            throw new IllegalArgumentException("secret: " + secret.length + " bytes (expected: >= " + hashBits / 8 + " for " + this + ")");
        }
        return switch (this) {
            case HS256 -> Algorithm.HMAC256(secret);
            case HS384 -> Algorithm.HMAC384(secret);
            default -> Algorithm.HMAC512(secret);
        };
    }

    /** The java-jwt algorithm that checks signatures with this public key, which must suit it. */
    Algorithm withPublicKey(PublicKey key) {
        return switch (family) {
            case HMAC -> throw new IllegalArgumentException("publicKey: given (expected: a secret for " + this + ")");
            case RSA, PSS -> rsa(rsaKey(key));
            case EC -> ec(ecKey(key));
        };
    }

    private RSAPublicKey rsaKey(PublicKey key) {
        if (!(key instanceof RSAPublicKey rsa)) {
            throw new IllegalArgumentException("publicKey: " + key.getAlgorithm() + " (expected: an RSA key for " + this + ")");
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_RSA_BITS) {
            throw new IllegalArgumentException("publicKey: " + bits + " bits (expected: >= " + MIN_RSA_BITS + ")");
        }
        return rsa;
    }

    private ECPublicKey ecKey(PublicKey key) {
        if (!(key instanceof ECPublicKey ec)) {
            throw new IllegalArgumentException("publicKey: " + key.getAlgorithm() + " (expected: an EC key for " + this + ")");
        }
        int bits = ec.getParams().getCurve().getField().getFieldSize();
        if (bits != curveBits()) {
            throw new IllegalArgumentException("publicKey: a " + bits + "-bit curve (expected: the " + curveBits() + "-bit curve of " + this + ")");
        }
        return ec;
    }

    private Algorithm rsa(RSAPublicKey key) {
        return switch (this) {
            case RS256 -> Algorithm.RSA256(key, null);
            case RS384 -> Algorithm.RSA384(key, null);
            case RS512 -> Algorithm.RSA512(key, null);
            case PS256 -> Algorithm.RSA256PSS(key, null);
            case PS384 -> Algorithm.RSA384PSS(key, null);
            default -> Algorithm.RSA512PSS(key, null);
        };
    }

    private Algorithm ec(ECPublicKey key) {
        return switch (this) {
            case ES256 -> Algorithm.ECDSA256(key, null);
            case ES384 -> Algorithm.ECDSA384(key, null);
            default -> Algorithm.ECDSA512(key, null);
        };
    }
}
