package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class RateLimitScenarioTest {

    private static final InetSocketAddress BACKEND = new InetSocketAddress("127.0.0.1", 9001);

    @Test
    void configuresThreeRoutesThatDifferOnlyInTheirLimitWithOwnPolicyIdsAndAHotKeyThatNeverRefuses() {
        String yaml = GridgateNode.config(RateLimitScenario.routes(BACKEND, 100), 9100, 9101, 9102);

        assertThat(yaml).isEqualTo("""
                server: {bindAddress: 127.0.0.1, port: 9100, ioThreads: 1}
                admin: {bindAddress: 127.0.0.1, port: 9101}
                cluster: {bindAddress: 127.0.0.1, port: 9102}
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
        String routes = RateLimitScenario.routes(BACKEND, 7);

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
