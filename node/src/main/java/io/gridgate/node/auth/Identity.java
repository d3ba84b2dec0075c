package io.gridgate.node.auth;

import io.undertow.util.AttachmentKey;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a request proved about its sender.
 *
 * @param method how it authenticated: {@code jwt:<issuer id>} or {@code apiKey}
 * @param consumer the consumer id: a consumer's id, or the token's consumer claim
 * @param subject a token's {@code sub}; empty for an API key
 * @param claims a token's claims as plain values (strings, numbers, booleans, lists, maps); empty for an API key
 * @param scopes from a token's {@code scope} (space-separated) or {@code scp}, or a consumer's scopes
 * @param roles from a token's {@code roles}, or a consumer's roles
 */
public record Identity(String method, String consumer, Optional<String> subject, Map<String, Object> claims,
                       Set<String> scopes, Set<String> roles) {

    /** Where the identity travels with the exchange. */
    public static final AttachmentKey<Identity> KEY = AttachmentKey.create(Identity.class);

    public Identity {
        claims = Map.copyOf(claims);
        scopes = Set.copyOf(scopes);
        roles = Set.copyOf(roles);
    }
}
