package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class RateLimitReportTest {

    private static final BenchmarkOptions OPTIONS = BenchmarkOptions.parse("--scenario", "ratelimit");
    private static final CoreUsage BUSY = new CoreUsage(1.0, 1.0, 0, 0, 0, 0, 1e9, 1e9);

    @Test
    void printsAndWritesTheWholeReportAsBeforeUnderEveryPinning() throws Exception {
        CoreUsage idling = new CoreUsage(0.6, 0.6, 0.10, 0.10, 0.10, 0.10, 1e9, 1e9);
        for (String pinning : List.of("one-cpu", "split", "none")) {
            BenchmarkResults results = results(BenchmarkOptions.parse("--scenario", "ratelimit", "--pinning", pinning),
                    run("plain", 1, 40_000, 0, BUSY), run("leased", 1, 36_000, 360, BUSY),
                    run("exact", 1, 20_000, 20_000, idling), run("plain", 2, 41_000, 0, BUSY),
                    run("leased", 2, 37_000, 370, BUSY), run("exact", 2, 21_000, 21_000, BUSY));
            Golden.assertReport("ratelimit-" + pinning + ".txt", RateLimitReport.table(results),
                    RateLimitReport.json(results));
        }
        BenchmarkResults derived = results(run("plain", 1, 40_000, Double.NaN, BUSY),
                run("leased", 1, 36_000, Double.NaN, BUSY));
        Golden.assertReport("ratelimit-derived.txt", RateLimitReport.table(derived), RateLimitReport.json(derived));
    }

    @Test
    void reportsEachRoutesThroughputItsRatioToPlainAndTheMeasuredRoundTripsPerRequest() {
        BenchmarkResults results = results(
                run("plain", 1, 40_000, 0, BUSY), run("leased", 1, 36_000, 360, BUSY), run("exact", 1, 20_000, 20_000, BUSY),
                run("plain", 2, 41_000, 0, BUSY), run("leased", 2, 37_000, 370, BUSY), run("exact", 2, 21_000, 21_000, BUSY),
                run("plain", 3, 30_000, 0, BUSY), run("leased", 3, 35_000, 350, BUSY), run("exact", 3, 19_000, 19_000, BUSY));

        String table = RateLimitReport.table(results);

        assertThat(table)
                .contains("Rate-limit benchmark: 3 rounds, interleaved plain,leased,exact")
                .contains("routes /plain (no limit), /leased (mode leased, leaseSize 100), /exact (mode exact)")
                .contains("100,000,000 permits/s")
                .contains("the grid is in-process")
                .contains("leased/plain = 0.90  (target >= 0.85, floor 0.75): meets the target")
                .contains("exact/plain  = 0.50")
                .contains("grid round trips per request, measured")
                .contains("plain 0.0000, leased 0.0100, exact 1.0000; 1/leaseSize = 0.0100")
                .contains("1/X-1/P us", "grid trips/req", "CPU1 busy")
                .doesNotContain("DERIVED", "FLAGGED", "note:");
        // 1/20,000 - 1/40,000 s: a check in exact mode adds 25 us per request
        assertThat(table).containsPattern("exact +20,000 +0\\.50 +25\\.00 ");
    }

    @Test
    void judgesLeasedAgainstTheTargetAndTheFloor() {
        assertThat(RateLimitReport.verdict(0.85)).isEqualTo("meets the target");
        assertThat(RateLimitReport.verdict(0.80)).isEqualTo("below the target, above the floor");
        assertThat(RateLimitReport.verdict(0.75)).isEqualTo("below the target, above the floor");
        assertThat(RateLimitReport.verdict(0.74)).isEqualTo("BELOW THE FLOOR");
        assertThat(RateLimitReport.verdict(Double.NaN)).isEqualTo("not measured");
    }

    @Test
    void labelsRoundTripsAsDerivedWhenTheNodeCouldNotBeAsked() {
        BenchmarkResults results = results(run("plain", 1, 40_000, Double.NaN, BUSY),
                run("leased", 1, 20_000, Double.NaN, BUSY), run("exact", 1, 10_000, Double.NaN, BUSY));

        assertThat(RateLimitReport.table(results))
                .contains("grid round trips per request, DERIVED, not measured")
                .contains("leased about 1/leaseSize = 0.0100, exact 1")
                .contains("leased/plain = 0.50  (target >= 0.85, floor 0.75): BELOW THE FLOOR");
        assertThat(RateLimitReport.json(results))
                .contains("\"source\": \"derived from the modes, not measured\"")
                .contains("\"leased\": 0.01")
                .contains("\"exact\": 1");
    }

    @Test
    void notesNoisyRunsAndACoreThatWasNotSaturated() {
        CoreUsage noisy = new CoreUsage(1.0, 1.0, 0.10, 0.10, 0.10, 0.10, 1e9, 1e9);
        CoreUsage idling = new CoreUsage(0.6, 0.6, 0, 0, 0, 0, 1e9, 1e9);
        BenchmarkResults results = results(run("plain", 1, 40_000, 0, noisy), run("leased", 1, 36_000, 360, BUSY),
                run("exact", 1, 10_000, 10_000, idling));

        assertThat(RateLimitReport.table(results))
                .contains("note: CPU1 was only 60% busy in exact's runs")
                .contains("note: 1 of 3 runs were noisy");
    }

    @Test
    void writesTheRatiosTheRoundTripsAndEveryRunAsJson() {
        BenchmarkResults results = results(run("plain", 1, 40_000, 0, BUSY), run("leased", 1, 36_000, 360, BUSY),
                run("exact", 1, 20_000, 20_000, BUSY));

        String json = RateLimitReport.json(results);

        assertThat(json)
                .contains("\"scenario\": \"ratelimit\"")
                .contains("\"leaseSize\": 100")
                .contains("\"leasedOverPlain\": 0.9")
                .contains("\"exactOverPlain\": 0.5")
                .contains("\"leasedVerdict\": \"meets the target\"")
                .contains("\"exactAddedMicrosPerRequest\": 25")
                .contains("\"source\": \"measured")
                .contains("\"gridRoundTrips\": 360")
                .doesNotContain("rateFraction", "latencyRuns");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    }

    private static BenchmarkResults results(Measurement... runs) {
        return results(OPTIONS, runs);
    }

    private static BenchmarkResults results(BenchmarkOptions options, Measurement... runs) {
        return new BenchmarkResults(options, Map.of("pinning", "test"), List.of(runs), Double.NaN, List.of());
    }

    /** A one-second closed-loop run of {@code requests} responses, with {@code trips} grid round trips. */
    private static Measurement run(String route, int round, long requests, double trips, CoreUsage cpu) {
        Histogram latency = new Histogram(3);
        latency.recordValue(100_000);
        LoadResult result = new LoadResult(Pacing.closedLoop(), Duration.ofSeconds(1), requests, requests,
                ErrorCounts.NONE, latency, new Histogram(3), false, List.of());
        return new Measurement(route, round, result, cpu, 0, trips, requests, Telemetry.NOT_COUNTED);
    }
}
