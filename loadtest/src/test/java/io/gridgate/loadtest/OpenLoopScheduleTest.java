package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void spacesDueTimesEvenlyFromTheStartWithoutDrift() {
        OpenLoopSchedule schedule = OpenLoopSchedule.of(1_000, 3_000); // 333,333.3 ns apart

        assertThat(schedule.intendedStartNanos(0)).isEqualTo(1_000);
        assertThat(schedule.intendedStartNanos(3)).isEqualTo(1_000 + 1_000_000);
        assertThat(schedule.intendedStartNanos(3_000_000)).isEqualTo(1_000 + 1_000_000_000_000L);
    }

    @Test
    void measuresLatencyFromTheDueTimeNotFromTheSend() {
        OpenLoopSchedule schedule = OpenLoopSchedule.of(0, 1_000);
        long due = schedule.intendedStartNanos(3); // 3 ms
        long sentLateBecauseNoConnectionWasFree = 10 * MS;
        long completed = sentLateBecauseNoConnectionWasFree + MS;

        assertThat(OpenLoopSchedule.latencyNanos(due, completed)).isEqualTo(8 * MS);
    }

    @Test
    void chargesAStallToEveryRequestThatWasDueDuringIt() {
        // One connection, 1 ms per response, a request due every 10 ms, and one response that takes a whole second.
        OpenLoopSchedule schedule = OpenLoopSchedule.of(0, 100);
        Histogram corrected = new Histogram(3);
        Histogram fromSend = new Histogram(3);
        long connectionFreeAt = 0;
        for (int i = 0; i < 200; i++) {
            long due = schedule.intendedStartNanos(i);
            long sent = Math.max(due, connectionFreeAt);
            long completed = sent + (i == 10 ? 1_000 * MS : MS);
            connectionFreeAt = completed;
            corrected.recordValue(OpenLoopSchedule.latencyNanos(due, completed));
            fromSend.recordValue(completed - sent);
        }

        // Timed from the send, the stall is one slow request in 200: invisible below the 99.5th percentile.
        assertThat(fromSend.getValueAtPercentile(99)).isLessThanOrEqualTo(MS + MS / 100);
        // Timed from the due time, the ~100 requests queued behind it show what a client would have seen.
        assertThat(corrected.getValueAtPercentile(50)).isGreaterThan(100 * MS);
        assertThat(corrected.getValueAtPercentile(90)).isGreaterThan(500 * MS);
    }

    @Test
    void countsTheRequestsDueBeforeAnInstantConsistentlyWithTheirDueTimes() {
        for (double rate : new double[] {1, 3, 7_000, 33_333.3, 123_456}) {
            OpenLoopSchedule schedule = OpenLoopSchedule.of(500, rate);
            for (long index = 0; index < 2_000; index += 7) {
                long due = schedule.intendedStartNanos(index);
                assertThat(schedule.countDueBefore(due)).as("rate %s index %s", rate, index).isEqualTo(index);
                assertThat(schedule.countDueBefore(due + 1)).as("rate %s index %s", rate, index)
                        .isEqualTo(index + 1);
            }
        }
        assertThat(OpenLoopSchedule.of(500, 10).countDueBefore(0)).isZero();
    }

    @Test
    void rejectsARateThatIsNotPositive() {
        assertThatThrownBy(() -> OpenLoopSchedule.of(0, 0))
                .hasMessage("requestsPerSecond: 0.0 (expected: > 0 and finite)");
    }

    @Test
    void rejectsACompletionBeforeTheDueTime() {
        assertThatThrownBy(() -> OpenLoopSchedule.latencyNanos(10, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("completedNanos: 5");
    }
}
