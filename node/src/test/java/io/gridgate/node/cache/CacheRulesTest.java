package io.gridgate.node.cache;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CacheRulesTest {

    @Test
    void defaultsToTheCommonCacheableStatuses() {
        CacheRules rules = CacheRules.builder().build();

        assertThat(rules.cacheableStatuses()).containsExactlyInAnyOrder(200, 203, 204, 300, 301, 404, 410);
        assertThat(rules.keyPerConsumer()).isFalse();
    }

    @Test
    void normalizesKeyHeaderNames() {
        assertThat(CacheRules.builder().keyHeaders(List.of("X-Tenant", " x-tenant", "Accept")).build().keyHeaders())
                .containsExactly("x-tenant", "accept");
    }

    @Test
    void rejectsBadValuesSayingWhichAndWhy() {
        assertThatIllegalArgumentException().isThrownBy(() -> CacheRules.builder().defaultTtl(Duration.ofSeconds(-1)).build())
                .withMessage("defaultTtl: PT-1S (expected: >= 0s)");
        assertThatIllegalArgumentException().isThrownBy(() -> CacheRules.builder().maxEntryBytes(0).build())
                .withMessage("maxEntryBytes: 0 (expected: > 0)");
        assertThatIllegalArgumentException().isThrownBy(() -> CacheRules.builder().cacheableStatuses(Set.of(200, 99)).build())
                .withMessage("cacheableStatuses: 99 (expected: 200..599)");
        assertThatIllegalArgumentException().isThrownBy(() -> CacheRules.builder().maxStale(Duration.ofMillis(-5)).build())
                .withMessage("maxStale: PT-0.005S (expected: >= 0s)");
        assertThatIllegalArgumentException().isThrownBy(() -> CacheRules.builder().keyHeaders(Arrays.asList("A", " ")).build())
                .withMessageStartingWith("keyHeaders: ");
    }
}
