package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimitScenarioTest {

    @Test
    void configuresThreeRoutesThatDifferOnlyInTheirLimitWithOwnPolicyIdsAndAHotKeyThatNeverRefuses() {
        String yaml = NodeYaml.config(RateLimitScenario.routes(NodeYaml.BACKEND, 100));

        assertThat(yaml).isEqualTo(NodeYaml.HEAD + """
                routes:
                  - id: plain
                    match: {pathPrefix: /plain}
                    upstream: http://127.0.0.1:9001
                  - id: leased
                    match: {pathPrefix: /leased}
                    upstream: http://127.0.0.1:9001
                    rateLimits:
                      - id: bench-leased
                        key: [clientIp]
                        limits: [{permits: 100000000, per: 1s}]
                        mode: leased
                        leaseSize: 100
                  - id: exact
                    match: {pathPrefix: /exact}
                    upstream: http://127.0.0.1:9001
                    rateLimits:
                      - id: bench-exact
                        key: [clientIp]
                        limits: [{permits: 100000000, per: 1s}]
                        mode: exact
                """);
    }

    @Test
    void putsTheLeaseSizeFromTheFlagOnTheLeasedRouteOnly() {
        String routes = RateLimitScenario.routes(NodeYaml.BACKEND, 7);

        assertThat(routes).containsOnlyOnce("leaseSize").contains("leaseSize: 7\n");
        assertThat(RateLimitScenario.describe("leased", 7)).isEqualTo("mode leased, leaseSize 7");
    }

    @Test
    void aimsEachTargetAtItsRouteOnTheOneNode() {
        var targets = RateLimitScenario.targets(null, java.util.List.of("plain", "exact"));

        assertThat(targets).extracting(Target::name).containsExactly("plain", "exact");
        assertThat(targets).extracting(Target::path).containsExactly("/plain", "/exact");
    }
}
