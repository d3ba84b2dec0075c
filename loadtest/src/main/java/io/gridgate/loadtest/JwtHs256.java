package io.gridgate.loadtest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs a JSON Web Token with HMAC-SHA256 (RFC 7519, JWS compact form) with the JDK alone: the load's bearer token. */
final class JwtHs256 {

    /** {@code {"alg":"HS256","typ":"JWT"}}, the header every token gets. */
    static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private JwtHs256() {
    }

    /** {@code base64url(header).base64url(claims).base64url(HMAC-SHA256 of the two with secret)}. */
    static String sign(String claimsJson, byte[] secret) {
        String signingInput = encode(HEADER.getBytes(StandardCharsets.UTF_8)) + "."
                + encode(claimsJson.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return signingInput + "." + encode(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    private static String encode(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }
}
