package io.gridgate.node.config;

import java.util.List;

/**
 * Who may use a route.
 *
 * @param methods how a client may authenticate, any one of: {@code jwt:<issuer id>} or {@code apiKey}
 * @param optional let unauthenticated requests through (as anonymous); a credential that is
 *     present but invalid is still refused
 * @param scopes scopes the identity must hold (a token's {@code scope} or {@code scp}, a consumer's scopes)
 * @param roles roles the identity must hold (a token's {@code roles}, a consumer's roles)
 * @param claims token claims that must have one of the listed values
 */
public record RouteAuthConfig(List<String> methods, boolean optional, Requirement scopes, Requirement roles,
                              List<ClaimRequirement> claims) {

    public RouteAuthConfig {
        methods = List.copyOf(methods);
        claims = List.copyOf(claims);
    }

    /** Values an identity must hold: all of {@code allOf}, and at least one of {@code anyOf} when it is not empty. */
    public record Requirement(List<String> anyOf, List<String> allOf) {

        public Requirement {
            anyOf = List.copyOf(anyOf);
            allOf = List.copyOf(allOf);
        }

        public static final Requirement NONE = new Requirement(List.of(), List.of());
    }

    /** A claim whose value (or, for an array claim, one of its values) must be one of {@code anyOf}. */
    public record ClaimRequirement(String name, List<String> anyOf) {

        public ClaimRequirement {
            anyOf = List.copyOf(anyOf);
        }
    }
}
