package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CacheScenarioTest {

    @Test
    void configuresAPlainRouteAndACachingRouteToTheSameBackendWithATtlLongerThanAnyRun() {
        String yaml = NodeYaml.config(CacheScenario.routes(NodeYaml.BACKEND));

        assertThat(yaml).isEqualTo(NodeYaml.HEAD + """
                routes:
                  - id: plain
                    match: {pathPrefix: /plain}
                    upstream: http://127.0.0.1:9001
                  - id: cached
                    match: {pathPrefix: /cached}
                    upstream: http://127.0.0.1:9001
                    cache:
                      ttl: 1h
                """);
    }

    @Test
    void aimsTheGridgateTargetAtThePlainRouteAndTheCachedTargetAtTheCachingRouteOfOneNode() {
        Target plain = CacheScenario.route("gridgate", null);
        Target cached = CacheScenario.route("cached", null);

        assertThat(plain.name()).isEqualTo("gridgate");
        assertThat(plain.path()).isEqualTo("/plain");
        assertThat(cached.name()).isEqualTo("cached");
        assertThat(cached.path()).isEqualTo("/cached");
        assertThat(CacheScenario.onNode("direct")).isFalse();
        assertThat(CacheScenario.onNode("nginx")).isFalse();
    }

    @Test
    void describesEveryTargetAndRefusesOthers() {
        assertThat(CacheScenario.TARGETS).allSatisfy(t -> assertThat(CacheScenario.describe(t)).isNotBlank());
        assertThat(CacheScenario.describe("cached")).contains("/cached", "ttl 1h", "hit");
        assertThatThrownBy(() -> CacheScenario.route("nginx", null))
                .hasMessage("target: nginx (expected: gridgate or cached)");
    }
}
