package io.gridgate.node.auth;

import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks java-jwt leaves to us on a token whose signature holds, and the {@link Identity} it
 * proves. java-jwt takes an {@code exp} that is no whole number (a string, {@code null}) as absent
 * and lets it pass even when the claim is required, so time claims and required claims are checked
 * here as well.
 */
final class JwtClaims {

    private static final List<String> TIME_CLAIMS = List.of("exp", "nbf", "iat");

    private JwtClaims() {
    }

    /** Why a verified token still does not hold, or null. */
    static String problem(DecodedJWT jwt, List<String> requiredClaims) {
        for (String name : requiredClaims) {
            Claim claim = jwt.getClaim(name);
            if (claim.isMissing() || claim.isNull()) {
                return "the token lacks the required claim " + name;
            }
        }
        for (String name : TIME_CLAIMS) {
            Claim claim = jwt.getClaim(name);
            if (!claim.isMissing() && claim.asInstant() == null) {
                return "the token's claim " + name + " is not a time";
            }
        }
        return null;
    }

    /** The identity a verified token proves, or the reason it proves none. */
    static Verdict identity(String method, String consumerClaim, DecodedJWT jwt) {
        Map<String, Object> claims = claims(jwt);
        Object consumer = claims.get(consumerClaim);
        if (consumer == null) {
            return new Verdict.Rejected("the token lacks the consumer claim " + consumerClaim);
        }
        String consumerId = consumer instanceof String || consumer instanceof Integer
                || consumer instanceof Long || consumer instanceof BigInteger ? consumer.toString() : "";
        if (consumerId.isBlank()) {
            return new Verdict.Rejected("the token's consumer claim " + consumerClaim + " is not a string");
        }
        Optional<String> subject = Optional.ofNullable(claims.get("sub")).filter(String.class::isInstance).map(String.class::cast);
        Set<String> scopes = new LinkedHashSet<>(words(claims.get("scope")));
        scopes.addAll(words(claims.get("scp")));
        Set<String> roles = new LinkedHashSet<>(words(claims.get("roles")));
        return new Verdict.Verified(new Identity(method, consumerId, subject, claims, scopes, roles));
    }

    /** All claims as plain Java values; {@code null} members of objects are left out. */
    static Map<String, Object> claims(DecodedJWT jwt) {
        Map<String, Object> plain = new LinkedHashMap<>();
        jwt.getClaims().forEach((name, claim) -> {
            Object value = plain(claim.as(Object.class));
            if (value != null) {
                plain.put(name, value);
            }
        });
        return plain;
    }

    /** A JSON value made unmodifiable all the way down. */
    private static Object plain(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, member) -> {
                if (member != null) {
                    copy.put(String.valueOf(key), plain(member));
                }
            });
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(plain(item)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /** A string split on whitespace, or the strings of an array. */
    private static List<String> words(Object value) {
        if (value instanceof String text) {
            return text.isBlank() ? List.of() : List.of(text.strip().split("\\s+"));
        }
        if (value instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast)
                    .map(String::strip).filter(word -> !word.isEmpty()).toList();
        }
        return List.of();
    }
}
