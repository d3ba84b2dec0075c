package io.gridgate.node.auth;

import io.gridgate.node.config.RouteAuthConfig;
import io.gridgate.node.config.RouteAuthConfig.ClaimRequirement;
import io.gridgate.node.config.RouteAuthConfig.Requirement;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A route's rules on scopes, roles and claims, as a pure decision on an {@link Identity}. */
public final class Authorization {

    private final Requirement scopes;
    private final Requirement roles;
    private final List<ClaimRequirement> claims;

    private Authorization(Requirement scopes, Requirement roles, List<ClaimRequirement> claims) {
        this.scopes = scopes;
        this.roles = roles;
        this.claims = claims;
    }

    public static Authorization of(RouteAuthConfig config) {
        return new Authorization(config.scopes(), config.roles(), config.claims());
    }

    /** Empty when the identity may use the route; otherwise what it lacks, safe to tell the client. */
    public Optional<String> denial(Identity identity) {
        Optional<String> missing = lacks("scope", scopes, identity.scopes());
        if (missing.isEmpty()) {
            missing = lacks("role", roles, identity.roles());
        }
        for (int i = 0; missing.isEmpty() && i < claims.size(); i++) {
            ClaimRequirement claim = claims.get(i);
            if (!holdsOneOf(identity.claims().get(claim.name()), claim.anyOf())) {
                missing = Optional.of("the claim " + claim.name() + " must be one of " + String.join(", ", claim.anyOf()));
            }
        }
        return missing;
    }

    private static Optional<String> lacks(String what, Requirement requirement, Set<String> held) {
        for (String value : requirement.allOf()) {
            if (!held.contains(value)) {
                return Optional.of("the " + what + " " + value + " is required");
            }
        }
        if (!requirement.anyOf().isEmpty() && requirement.anyOf().stream().noneMatch(held::contains)) {
            return Optional.of("one of the " + what + "s " + String.join(", ", requirement.anyOf()) + " is required");
        }
        return Optional.empty();
    }

    /** A claim holds when it is one of the values, or, for an array claim, when any element is. */
    private static boolean holdsOneOf(Object claim, List<String> values) {
        if (claim instanceof Collection<?> items) {
            return items.stream().anyMatch(item -> item != null && values.contains(item.toString()));
        }
        return claim != null && values.contains(claim.toString());
    }
}
