package io.gridgate.node.auth;

import io.gridgate.node.config.RouteAuthConfig;
import io.gridgate.node.config.RouteAuthConfig.ClaimRequirement;
import io.gridgate.node.config.RouteAuthConfig.Requirement;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AuthorizationTest {

    private static Identity identity(Set<String> scopes, Set<String> roles, Map<String, Object> claims) {
        return new Identity("jwt:corp", "alice", Optional.of("alice"), claims, scopes, roles);
    }

    private static Authorization rules(Requirement scopes, Requirement roles, List<ClaimRequirement> claims) {
        return Authorization.of(new RouteAuthConfig(List.of("jwt:corp"), false, scopes, roles, claims));
    }

    @Test
    void allOfNeedsEveryScope() {
        Authorization rules = rules(new Requirement(List.of(), List.of("orders:read", "orders:write")), Requirement.NONE, List.of());
        assertThat(rules.denial(identity(Set.of("orders:read", "orders:write", "x"), Set.of(), Map.of()))).isEmpty();
        assertThat(rules.denial(identity(Set.of("orders:read"), Set.of(), Map.of())))
                .contains("the scope orders:write is required");
    }

    @Test
    void anyOfNeedsOneRole() {
        Authorization rules = rules(Requirement.NONE, new Requirement(List.of("admin", "ops"), List.of()), List.of());
        assertThat(rules.denial(identity(Set.of(), Set.of("ops"), Map.of()))).isEmpty();
        assertThat(rules.denial(identity(Set.of(), Set.of("viewer"), Map.of())))
                .contains("one of the roles admin, ops is required");
    }

    @Test
    void aClaimMustHoldOneOfItsValuesAndAnArrayClaimAnyElement() {
        Authorization rules = rules(Requirement.NONE, Requirement.NONE, List.of(new ClaimRequirement("tenant", List.of("acme", "globex"))));
        assertThat(rules.denial(identity(Set.of(), Set.of(), Map.of("tenant", "acme")))).isEmpty();
        assertThat(rules.denial(identity(Set.of(), Set.of(), Map.of("tenant", List.of("initech", "globex"))))).isEmpty();
        assertThat(rules.denial(identity(Set.of(), Set.of(), Map.of("tenant", "initech"))))
                .contains("the claim tenant must be one of acme, globex");
        assertThat(rules.denial(identity(Set.of(), Set.of(), Map.of()))).isPresent();
    }

    @Test
    void noRulesAllowEveryAuthenticatedIdentity() {
        assertThat(rules(Requirement.NONE, Requirement.NONE, List.of()).denial(identity(Set.of(), Set.of(), Map.of()))).isEmpty();
    }
}
