package io.gridgate.cluster.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitStateTest {

    private static final long T0 = 1_800_000_000_000L;

    private static int admitted(RateLimitState state, List<RateLimit> limits, int attempts, long now) {
        int admitted = 0;
        for (int i = 0; i < attempts; i++) {
            if (state.tryAcquire(limits, 1, now).allowed()) {
                admitted++;
            }
        }
        return admitted;
    }

    @Test
    void aTokenBucketAdmitsItsBurstThenRefillsAtItsRate() {
        List<RateLimit> limits = List.of(RateLimit.tokenBucket(10, Duration.ofSeconds(1), 20));
        RateLimitState state = RateLimitState.initial(limits, T0);

        assertThat(admitted(state, limits, 25, T0)).isEqualTo(20);
        assertThat(admitted(state, limits, 5, T0 + 500)).isEqualTo(5);
        assertThat(admitted(state, limits, 5, T0 + 500)).isZero();
        assertThat(admitted(state, limits, 100, T0 + 60_000)).isEqualTo(20);
    }

    @Test
    void aDeniedRequestIsToldWhenEnoughTokensAreBack() {
        List<RateLimit> limits = List.of(RateLimit.tokenBucket(2, Duration.ofSeconds(1), 2));
        RateLimitState state = RateLimitState.initial(limits, T0);
        admitted(state, limits, 2, T0);

        RateDecision denied = state.tryAcquire(limits, 1, T0 + 100);

        assertThat(denied.allowed()).isFalse();
        assertThat(denied.remaining()).isZero();
        assertThat(denied.retryAfter()).isEqualTo(Duration.ofMillis(400));
        assertThat(denied.reset()).isEqualTo(Duration.ofMillis(900));
    }

    @Test
    void aSlidingWindowWeighsThePreviousWindowByTheShareItStillCovers() {
        List<RateLimit> limits = List.of(RateLimit.slidingWindow(100, Duration.ofSeconds(10)));
        long windowStart = T0 - Math.floorMod(T0, 10_000);
        RateLimitState state = RateLimitState.initial(limits, windowStart);

        assertThat(admitted(state, limits, 150, windowStart + 5_000)).isEqualTo(100);
        // A quarter into the next window, 75% of the previous 100 still count.
        assertThat(admitted(state, limits, 50, windowStart + 12_500)).isEqualTo(25);
        RateDecision denied = state.tryAcquire(limits, 1, windowStart + 12_500);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.retryAfter()).isPositive();
        // Two windows later nothing of the old ones counts.
        assertThat(admitted(state, limits, 150, windowStart + 30_000)).isEqualTo(100);
    }

    @Test
    void severalLimitsAdmitOnlyWhatAllOfThemAdmitAndADenialChargesNone() {
        List<RateLimit> limits = List.of(
                RateLimit.tokenBucket(20, Duration.ofSeconds(1), 40),
                RateLimit.slidingWindow(50, Duration.ofHours(24)));
        RateLimitState state = RateLimitState.initial(limits, T0);

        assertThat(admitted(state, limits, 100, T0)).isEqualTo(40);
        RateDecision denied = state.tryAcquire(limits, 1, T0);
        assertThat(denied.limitIndex()).isZero();
        assertThat(admitted(state, limits, 100, T0 + 10_000)).isEqualTo(10);
        RateDecision daily = state.tryAcquire(limits, 1, T0 + 20_000);
        assertThat(daily.allowed()).isFalse();
        assertThat(daily.limitIndex()).isEqualTo(1);
        assertThat(daily.limit()).isEqualTo(50);
    }

    @Test
    void anAdmittedDecisionReportsTheLimitWithTheFewestPermitsLeft() {
        List<RateLimit> limits = List.of(
                RateLimit.tokenBucket(100, Duration.ofSeconds(1), 100),
                RateLimit.slidingWindow(5, Duration.ofMinutes(1)));
        RateLimitState state = RateLimitState.initial(limits, T0);

        RateDecision decision = state.tryAcquire(limits, 1, T0);

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.limitIndex()).isEqualTo(1);
        assertThat(decision.remaining()).isEqualTo(4);
    }

    @Test
    void aClockThatStepsBackIsTreatedAsStandingStill() {
        List<RateLimit> limits = List.of(RateLimit.tokenBucket(1, Duration.ofSeconds(1), 1));
        RateLimitState state = RateLimitState.initial(limits, T0);
        admitted(state, limits, 1, T0);

        assertThat(admitted(state, limits, 5, T0 - 10_000)).isZero();
        assertThat(admitted(state, limits, 5, T0 + 1_000)).isEqualTo(1);
    }

    @Test
    void aPeekShowsTheRefillSinceTheLastDecisionAndChangesNothing() {
        List<RateLimit> limits = List.of(RateLimit.tokenBucket(2, Duration.ofSeconds(1), 4));
        RateLimitState state = RateLimitState.initial(limits, T0);
        admitted(state, limits, 4, T0);

        RateSnapshot.Limit empty = state.peek(limits, T0 + 250).get(0);
        RateSnapshot.Limit refilled = state.peek(limits, T0 + 1_000).get(0);

        assertThat(empty.remaining()).isZero();
        assertThat(empty.nextPermit()).isEqualTo(Duration.ofMillis(250));
        assertThat(empty.reset()).isEqualTo(Duration.ofMillis(1_750));
        assertThat(refilled.remaining()).isEqualTo(2);
        assertThat(refilled.nextPermit()).isZero();
        assertThat(refilled.reset()).isEqualTo(Duration.ofSeconds(1));
        assertThat(state.peek(limits, T0 + 250).get(0)).as("peeking again").isEqualTo(empty);
        assertThat(admitted(state, limits, 5, T0 + 1_000)).as("the peeks charged nothing").isEqualTo(2);
    }

    @Test
    void aPeekIntoANewWindowLeavesTheStoredWindowsAsTheyWere() {
        List<RateLimit> limits = List.of(RateLimit.slidingWindow(10, Duration.ofSeconds(10)));
        long windowStart = T0 - Math.floorMod(T0, 10_000);
        RateLimitState state = RateLimitState.initial(limits, windowStart);
        admitted(state, limits, 10, windowStart + 1_000);

        RateSnapshot.Limit full = state.peek(limits, windowStart + 2_000).get(0);
        RateSnapshot.Limit halfway = state.peek(limits, windowStart + 15_000).get(0);

        assertThat(full.remaining()).isZero();
        assertThat(full.reset()).isEqualTo(Duration.ofSeconds(8));
        assertThat(full.nextPermit()).isEqualTo(Duration.ofSeconds(8));
        // Half of the next window in, half of the previous 10 still count.
        assertThat(halfway.remaining()).isEqualTo(5);
        assertThat(halfway.nextPermit()).isZero();
        assertThat(admitted(state, limits, 1, windowStart + 2_000)).as("still the first window, still full").isZero();
    }

    @Test
    void aPeekReportsEveryLimitInTheOrderGiven() {
        List<RateLimit> limits = List.of(
                RateLimit.tokenBucket(20, Duration.ofSeconds(1), 40),
                RateLimit.slidingWindow(50, Duration.ofHours(24)));
        RateLimitState state = RateLimitState.initial(limits, T0);
        admitted(state, limits, 3, T0);

        assertThat(state.peek(limits, T0)).extracting(RateSnapshot.Limit::remaining).containsExactly(37L, 47L);
    }

    @Test
    void stateIsKeptUntilEveryLimitWouldBeFullAgain() {
        assertThat(RateLimitState.retention(List.of(
                RateLimit.tokenBucket(10, Duration.ofSeconds(1), 40),
                RateLimit.slidingWindow(5, Duration.ofSeconds(3))))).isEqualTo(Duration.ofSeconds(6));
    }
}
