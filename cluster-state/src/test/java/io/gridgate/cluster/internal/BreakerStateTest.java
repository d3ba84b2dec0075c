package io.gridgate.cluster.internal;

import io.gridgate.cluster.BreakerNotice.Kind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class BreakerStateTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final long RETAIN = Duration.ofMinutes(10).toMillis();

    @Test
    void theBreakerOpensUntilTheLatestTimeTheQuorumAgreesOn() {
        BreakerState state = BreakerState.NONE
                .trip("a", T0 + 60_000, 2, T0)
                .trip("b", T0 + 40_000, 2, T0);

        assertThat(state.kind()).isEqualTo(Kind.OPEN);
        assertThat(state.openUntilMillis()).isEqualTo(T0 + 40_000);
        assertThat(state.origin()).isEqualTo("b");

        BreakerState third = state.trip("c", T0 + 50_000, 2, T0);

        assertThat(third.openUntilMillis()).isEqualTo(T0 + 50_000);
        assertThat(third.version()).isGreaterThan(state.version());
    }

    @Test
    void aVoteThatExtendsTheOpeningByLessThanASecondChangesOnlyTheVotes() {
        BreakerState open = BreakerState.NONE.trip("a", T0 + 30_000, 1, T0);

        BreakerState again = open.trip("b", T0 + 30_900, 1, T0 + 10);

        assertThat(again.version()).isEqualTo(open.version());
        assertThat(again.openUntilMillis()).isEqualTo(T0 + 30_000);
        assertThat(again.votes()).containsOnlyKeys("a", "b");
    }

    @Test
    void aVoteAfterAnOpeningRanOutOpensAgainEvenIfItIsClose() {
        BreakerState open = BreakerState.NONE.trip("a", T0 + 1_000, 1, T0);

        BreakerState again = open.trip("a", T0 + 1_500, 1, T0 + 1_200);

        assertThat(again.openUntilMillis()).isEqualTo(T0 + 1_500);
        assertThat(again.version()).isGreaterThan(open.version());
    }

    @Test
    void aVoteOnAForcedOpenBreakerIsOnlyRecorded() {
        BreakerState forced = BreakerState.NONE.forceOpen("op", T0);

        BreakerState voted = forced.trip("a", T0 + 30_000, 1, T0);

        assertThat(voted.kind()).isEqualTo(Kind.FORCED_OPEN);
        assertThat(voted.version()).isEqualTo(forced.version());
        assertThat(voted.votes()).containsEntry("a", T0 + 30_000);
        assertThat(voted.notice("orders").openUntil()).isEqualTo(Instant.MAX);
    }

    @Test
    void versionsGrowByOneWithinAMillisecondAndNeverFallBelowTheOwnersClock() {
        BreakerState first = BreakerState.NONE.forceOpen("op", T0);
        BreakerState second = first.forceClose("op", T0);

        assertThat(first.version()).isEqualTo(T0);
        assertThat(second.version()).isEqualTo(T0 + 1);
        assertThat(BreakerState.NONE.forceClose("op", T0 + 5_000).version()).isEqualTo(T0 + 5_000);
    }

    @Test
    void anEntryOutlivesItsOpeningAndItsVotesByTenMinutesUnlessForcedOpen() {
        assertThat(BreakerState.NONE.trip("a", T0 + 30_000, 1, T0).ttlMillis(T0)).isEqualTo(30_000 + RETAIN);
        assertThat(BreakerState.NONE.trip("a", T0 + 30_000, 2, T0).ttlMillis(T0)).isEqualTo(30_000 + RETAIN);
        assertThat(BreakerState.NONE.forceClose("op", T0).ttlMillis(T0)).isEqualTo(RETAIN);
        assertThat(BreakerState.NONE.forceOpen("op", T0).ttlMillis(T0)).isEqualTo(BreakerState.NO_EXPIRY);
    }

    @Test
    void aVoteForEverNeitherOverflowsNorExpires() {
        BreakerState state = BreakerState.NONE.trip("a", BreakerState.millis(Instant.MAX), 1, T0);

        assertThat(state.openUntilMillis()).isEqualTo(Long.MAX_VALUE);
        assertThat(state.ttlMillis(T0)).isEqualTo(BreakerState.NO_EXPIRY);
    }
}
