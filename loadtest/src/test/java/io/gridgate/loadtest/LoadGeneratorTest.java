package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void spreadsAFixedRateRoundRobinOverEndpointsInEqualShares() {
        try (Backend a = Backend.start(0); Backend b = Backend.start(0); Backend c = Backend.start(0)) {
            List<Endpoint> endpoints = List.of(Endpoint.of(a.address(), "/a"), Endpoint.of(b.address(), "/b"),
                    Endpoint.of(c.address(), "/c"));
            LoadResult result = LoadGenerator.run(LoadSpec.builder(endpoints)
                    .requestTimeout(Duration.ofSeconds(1))
                    .connections(6)
                    .threads(2)
                    .pacing(Pacing.fixedRate(600))
                    .warmup(Duration.ZERO)
                    .duration(SHORT)
                    .build());

            assertThat(result.errors()).isEqualTo(ErrorCounts.NONE);
            assertThat(result.succeeded()).isBetween(179L, 181L);
            assertThat(result.endpoints()).extracting(EndpointResult::endpoint).isEqualTo(endpoints);
            // 2 threads x 3 endpoints: each endpoint's share is exact to one request per thread.
            assertThat(result.endpoints()).allSatisfy(e -> assertThat(e.succeeded()).isBetween(58L, 62L));
            assertThat(List.of(a.requests(), b.requests(), c.requests()))
                    .containsExactly(result.endpoints().get(0).succeeded(), result.endpoints().get(1).succeeded(),
                            result.endpoints().get(2).succeeded());
            assertThat(result.latencyNanos().getTotalCount()).isEqualTo(result.succeeded());
        }
    }

    @Test
    void givesEveryEndpointItsShareOfTheConnectionsInClosedLoop() {
        try (Backend a = Backend.start(0); Backend b = Backend.start(0)) {
            LoadResult result = LoadGenerator.run(LoadSpec.builder(
                            List.of(Endpoint.of(a.address(), "/"), Endpoint.of(b.address(), "/")))
                    .connections(4)
                    .warmup(Duration.ZERO)
                    .duration(SHORT)
                    .build());

            assertThat(result.errors()).isEqualTo(ErrorCounts.NONE);
            assertThat(result.endpoints()).allSatisfy(e -> assertThat(e.succeeded()).isPositive());
            assertThat(a.requests()).isPositive();
            assertThat(b.requests()).isPositive();
        }
    }

    @Test
    void countsNon2xxByStatusAndByEndpoint() {
        try (Backend ok = Backend.start(0); Backend failing = Backend.startAnswering(503, 0)) {
            LoadResult result = LoadGenerator.run(LoadSpec.builder(
                            List.of(Endpoint.of(ok.address(), "/"), Endpoint.of(failing.address(), "/")))
                    .connections(2)
                    .pacing(Pacing.fixedRate(200))
                    .warmup(Duration.ZERO)
                    .duration(SHORT)
                    .build());

            EndpointResult good = result.endpoints().get(0);
            EndpointResult bad = result.endpoints().get(1);
            assertThat(good.errors()).isEqualTo(ErrorCounts.NONE);
            assertThat(good.succeeded()).isEqualTo(30);
            assertThat(bad.succeeded()).isZero();
            assertThat(bad.errors().non2xx()).isEqualTo(30);
            assertThat(bad.non2xxByStatus()).containsExactly(entry(503, 30L));
            assertThat(result.non2xxByStatus()).containsExactly(entry(503, 30L));
        }
    }

    @Test
    void reportsProgressOnTheCallersThreadWhileTheRunRuns() {
        try (Backend backend = Backend.start(0)) {
            List<Progress> reports = new ArrayList<>();
            Thread caller = Thread.currentThread();
            LoadResult result = LoadGenerator.run(spec(backend.address())
                    .connections(2)
                    .pacing(Pacing.fixedRate(200))
                    .warmup(Duration.ofMillis(100))
                    .duration(Duration.ofMillis(400))
                    .progress(Duration.ofMillis(50), p -> {
                        assertThat(Thread.currentThread()).isSameAs(caller);
                        reports.add(p);
                    })
                    .build());

            assertThat(reports).hasSizeGreaterThanOrEqualTo(8);
            assertThat(reports.get(0).warmingUp()).isTrue();
            assertThat(reports.get(0).measured()).isZero();
            Progress last = reports.get(reports.size() - 1);
            assertThat(last.warmingUp()).isFalse();
            assertThat(last.measured()).isPositive().isLessThanOrEqualTo(result.succeeded());
            assertThat(last.responses()).isLessThanOrEqualTo(result.completed());
            assertThat(last.errors()).isZero();
            assertThat(last.p99Micros()).isGreaterThanOrEqualTo(last.p50Micros()).isPositive();
            assertThat(reports).extracting(Progress::elapsed).isSorted();
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
