package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

    private static final Duration SHORT = Duration.ofMillis(300);

    @Test
    void countsEveryResponseFromAHealthyBackendInClosedLoop() {
        try (Backend backend = Backend.start(0)) {
            LoadResult result = LoadGenerator.run(spec(backend.address())
                    .connections(4)
                    .warmup(Duration.ofMillis(100))
                    .duration(SHORT)
                    .build());

            assertThat(result.errors()).isEqualTo(ErrorCounts.NONE);
            assertThat(result.flagged()).isFalse();
            assertThat(result.succeeded()).isPositive();
            assertThat(result.latencyNanos().getTotalCount()).isEqualTo(result.succeeded());
            assertThat(result.completed()).isGreaterThan(result.succeeded()); // warm-up responses count only here
            assertThat(result.requestsPerSecond()).isPositive();
            assertThat(result.sendLagNanos().getTotalCount()).isZero();
        }
    }

    @Test
    void sendsAtTheFixedRateAndRecordsLatencyFromEachDueTime() {
        try (Backend backend = Backend.start(0)) {
            LoadResult result = LoadGenerator.run(spec(backend.address())
                    .connections(4)
                    .threads(2)
                    .pacing(Pacing.fixedRate(1000))
                    .warmup(Duration.ZERO)
                    .duration(SHORT)
                    .build());

            assertThat(result.errors()).isEqualTo(ErrorCounts.NONE);
            // Exactly the requests due in the window are measured, however the threads were scheduled.
            assertThat(result.succeeded()).isBetween(299L, 301L);
            assertThat(result.latencyNanos().getTotalCount()).isEqualTo(result.succeeded());
            assertThat(result.sendLagNanos().getTotalCount()).isEqualTo(result.succeeded());
            assertThat(result.latencyMicros(50)).isPositive();
        }
    }

    @Test
    void countsNon2xxResponsesAsErrorsAndFlagsTheRun() {
        try (Backend backend = Backend.startAnswering(500, 0)) {
            LoadResult result = LoadGenerator.run(spec(backend.address())
                    .connections(2)
                    .warmup(Duration.ZERO)
                    .duration(SHORT)
                    .build());

            assertThat(result.errors().non2xx()).isPositive().isEqualTo(result.errors().total());
            assertThat(result.succeeded()).isZero();
            assertThat(result.flagged()).isTrue();
        }
    }

    @Test
    void countsAnswersWithAnotherBodyThanTheExpectedOneAsErrorsNotAsSuccesses() {
        try (Backend backend = Backend.start(0)) {
            LoadResult result = LoadGenerator.run(spec(backend.address())
                    .connections(2)
                    .expectBody("{\"not\": \"the-backends\"}")
                    .warmup(Duration.ZERO)
                    .duration(SHORT)
                    .build());

            assertThat(result.errors().wrongBodies()).isPositive().isEqualTo(result.errors().total())
                    .isEqualTo(result.completed());
            assertThat(result.succeeded()).isZero();
            assertThat(result.flagged()).isTrue();
            assertThat(result.errors().toString()).endsWith(" wrong-body=" + result.completed());
        }
    }

    @Test
    void countsConnectFailuresWhenNothingListensOnThePort() throws IOException {
        LoadResult result = LoadGenerator.run(spec(closedPort())
                .connections(2)
                .warmup(Duration.ZERO)
                .duration(SHORT)
                .build());

        assertThat(result.errors().connectFailures()).isPositive();
        assertThat(result.completed()).isZero();
        assertThat(result.flagged()).isTrue();
    }

    @Test
    void countsTimeoutsWhenTheServerAcceptsButNeverAnswers() throws IOException {
        // The kernel completes the handshake from the backlog; nobody ever reads the request.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
            LoadResult result = LoadGenerator.run(spec(address)
                    .connections(2)
                    .pacing(Pacing.fixedRate(100))
                    .warmup(Duration.ZERO)
                    .duration(Duration.ofMillis(100))
                    .requestTimeout(Duration.ofMillis(100))
                    .build());

            assertThat(result.errors().timeouts()).isPositive();
            assertThat(result.succeeded()).isZero();
        }
    }

    @Test
    void stopsAtTheRequestCapAndFlagsTheRun() {
        try (Backend backend = Backend.start(0)) {
            LoadResult result = LoadGenerator.run(spec(backend.address())
                    .connections(2)
                    .warmup(Duration.ZERO)
                    .duration(Duration.ofSeconds(30))
                    .maxRequests(50)
                    .build());

            assertThat(result.capped()).isTrue();
            assertThat(result.flagged()).isTrue();
            assertThat(result.completed()).isEqualTo(50);
            assertThat(result.window()).isLessThan(Duration.ofSeconds(30));
        }
    }

    private static LoadSpec.Builder spec(InetSocketAddress target) {
        return LoadSpec.builder(target).requestTimeout(Duration.ofSeconds(1));
    }

    /** A port that was free a moment ago; nothing listens on it once the probe socket is closed. */
    private static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress("127.0.0.1", probe.getLocalPort());
        }
    }
}
