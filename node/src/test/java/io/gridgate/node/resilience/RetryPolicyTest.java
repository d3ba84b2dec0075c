package io.gridgate.node.resilience;

import io.gridgate.node.config.RetryConfig;
import io.gridgate.node.config.RetryConfig.Condition;
import io.undertow.util.HeaderMap;
import io.undertow.util.Methods;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    private static RetryConfig config(int attempts, boolean nonIdempotent) {
        return new RetryConfig(attempts, Optional.empty(), Duration.ofMillis(10), Duration.ofMillis(100),
                Set.of(Condition.RESET), Set.of(503), nonIdempotent, 1024);
    }

    @Test
    void retriesOnlyIdempotentMethodsByDefault() {
        RetryPolicy policy = RetryPolicy.of(config(3, false));
        HeaderMap none = new HeaderMap();
        assertThat(policy.mayRetry(Methods.GET, none)).isTrue();
        assertThat(policy.mayRetry(Methods.PUT, none)).isTrue();
        assertThat(policy.mayRetry(Methods.DELETE, none)).isTrue();
        assertThat(policy.mayRetry(Methods.POST, none)).isFalse();
        assertThat(policy.mayRetry(Methods.PATCH, none)).isFalse();
    }

    @Test
    void retriesAPostThatCarriesAnIdempotencyKey() {
        HeaderMap headers = new HeaderMap();
        headers.put(RetryPolicy.IDEMPOTENCY_KEY, "7f3c");
        assertThat(RetryPolicy.of(config(3, false)).mayRetry(Methods.POST, headers)).isTrue();
    }

    @Test
    void retriesAPostWhenTheRouteOptsIn() {
        assertThat(RetryPolicy.of(config(3, true)).mayRetry(Methods.POST, new HeaderMap())).isTrue();
    }

    @Test
    void oneAttemptMeansNoRetryForAnyMethod() {
        assertThat(RetryPolicy.of(config(1, true)).mayRetry(Methods.GET, new HeaderMap())).isFalse();
    }

    @Test
    void retriesOnlyTheConfiguredConditionsAndStatuses() {
        RetryPolicy policy = RetryPolicy.of(config(3, false));
        assertThat(policy.retriesOn(Condition.RESET)).isTrue();
        assertThat(policy.retriesOn(Condition.TIMEOUT)).isFalse();
        assertThat(policy.retriesStatus(503)).isTrue();
        assertThat(policy.retriesStatus(500)).isFalse();
    }

    @Test
    void backoffDoublesPerRetryUpToTheCapWithFullJitter() {
        RetryPolicy highest = new RetryPolicy(config(5, false), () -> 0.999_999);
        assertThat(highest.backoffNanos(1)).isBetween(Duration.ofMillis(9).toNanos(), Duration.ofMillis(10).toNanos());
        assertThat(highest.backoffNanos(2)).isBetween(Duration.ofMillis(19).toNanos(), Duration.ofMillis(20).toNanos());
        assertThat(highest.backoffNanos(4)).isBetween(Duration.ofMillis(79).toNanos(), Duration.ofMillis(80).toNanos());
        assertThat(highest.backoffNanos(5)).isBetween(Duration.ofMillis(99).toNanos(), Duration.ofMillis(100).toNanos());
        assertThat(highest.backoffNanos(40)).isBetween(Duration.ofMillis(99).toNanos(), Duration.ofMillis(100).toNanos());
        RetryPolicy lowest = new RetryPolicy(config(5, false), () -> 0.0);
        assertThat(lowest.backoffNanos(3)).isZero();
    }
}
