package io.gridgate.node.resilience;

import io.gridgate.node.config.RetryBudgetConfig;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTest {

    private final AtomicLong nanos = new AtomicLong(1_000);

    private RetryBudget budget(int percent, int minPerSecond) {
        return new RetryBudget(new RetryBudgetConfig(percent, minPerSecond), nanos::get);
    }

    private int retriesGranted(RetryBudget budget, int requests) {
        int granted = 0;
        for (int i = 0; i < requests; i++) {
            budget.onRequest();
            if (budget.tryRetry()) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void grantsRetriesUpToThePercentageOfRequests() {
        RetryBudget budget = budget(20, 0);
        assertThat(retriesGranted(budget, 1000)).isEqualTo(200);
    }

    @Test
    void aQuietUpstreamGetsTheAllowanceOfRetriesPerSecond() {
        RetryBudget budget = budget(20, 3);
        // Ten seconds' allowance (30) plus 20 % of 10 requests.
        assertThat(retriesGranted(budget, 10)).isEqualTo(10);
        assertThat(budget.tryRetry()).isTrue();
        int more = 0;
        while (budget.tryRetry()) {
            more++;
        }
        assertThat(1 + more + 10).isEqualTo(32);
    }

    @Test
    void zeroPercentAndNoAllowanceNeverRetries() {
        assertThat(retriesGranted(budget(0, 0), 100)).isZero();
    }

    @Test
    void retriesOlderThanTheWindowNoLongerCount() {
        RetryBudget budget = budget(10, 0);
        assertThat(retriesGranted(budget, 100)).isEqualTo(10);
        assertThat(budget.tryRetry()).isFalse();
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(RetryBudget.WINDOW_SECONDS));
        // The old requests went with the old retries: the budget starts over.
        assertThat(budget.tryRetry()).isFalse();
        assertThat(retriesGranted(budget, 50)).isEqualTo(5);
    }

    @Test
    void requestsWithinTheWindowKeepEarningRetries() {
        RetryBudget budget = budget(50, 0);
        for (int second = 0; second < 5; second++) {
            for (int i = 0; i < 10; i++) {
                budget.onRequest();
            }
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        }
        int granted = 0;
        while (budget.tryRetry()) {
            granted++;
        }
        assertThat(granted).isEqualTo(25);
    }
}
