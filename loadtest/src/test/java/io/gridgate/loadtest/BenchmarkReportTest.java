package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkReportTest {

    private static final BenchmarkOptions OPTIONS = BenchmarkOptions.parse("--rounds", "3");

    @Test
    void printsAndWritesTheWholeReportAsBeforeUnderEveryPinning() throws Exception {
        CoreUsage busy = new CoreUsage(1.0, 0.8, 0.02, 0.01, 0.05, 0.03, 1e9, 1e9);
        for (String pinning : List.of("one-cpu", "split", "none")) {
            BenchmarkResults results = results(BenchmarkOptions.parse("--rounds", "3", "--pinning", pinning),
                    saturation("direct", busy, 100_000, 101_000, 99_000),
                    saturation("nginx", busy, 50_000, 30_000, 51_000),
                    saturation("gridgate", busy, 40_000, 41_000, 39_000));
            Golden.assertReport("proxy-" + pinning + ".txt", BenchmarkReport.table(results),
                    BenchmarkReport.json(results));
        }
    }

    @Test
    void reportsMedianThroughputTheRatiosAndCWithEachHopsAddedMicroseconds() {
        BenchmarkResults results = results(OPTIONS,
                saturation("direct", CoreUsage.UNKNOWN, 100_000, 101_000, 99_000),
                saturation("nginx", CoreUsage.UNKNOWN, 50_000, 30_000, 51_000),
                saturation("gridgate", CoreUsage.UNKNOWN, 40_000, 41_000, 39_000));

        String table = BenchmarkReport.table(results);

        assertThat(results.summary("nginx").orElseThrow().requestsPerSecond()).isEqualTo(50_000);
        assertThat(table)
                .contains("pinning one-cpu: generator, backend and proxy all on CPU 1")
                .contains("C = (D/G-1)/(D/N-1) = 1.50  (target <= 2.5, aim 1.5): CPU per request added by gridgate"
                        + " 15.0 us / by nginx 10.0 us")
                .contains("G/D = 0.40   G/N = 0.80")
                .contains("1/X-1/D us", "CPU1 busy", "other CPU1")
                .doesNotContain("not a cost ratio", "FLAGGED");
    }

    @Test
    void saysCIsNoCostRatioWhenTheProxyHadItsOwnCore() {
        BenchmarkResults results = results(BenchmarkOptions.parse("--rounds", "3", "--pinning", "split"),
                saturation("direct", CoreUsage.UNKNOWN, 100_000, 101_000, 99_000),
                saturation("nginx", CoreUsage.UNKNOWN, 50_000, 30_000, 51_000),
                saturation("gridgate", CoreUsage.UNKNOWN, 40_000, 41_000, 39_000));

        assertThat(BenchmarkReport.table(results))
                .contains("pinning split: generator+backend on CPU 0, proxy on CPU 1")
                .contains("C = (D/G-1)/(D/N-1) = 1.50, not a cost ratio here")
                .contains("CPU0 busy", "CPU1 busy")
                .doesNotContain("1/X-1/D us");
    }

    @Test
    void warnsWhenTheSharedCoreWasNotSaturatedSinceCThenOverstatesTheCost() {
        CoreUsage busy = new CoreUsage(1.0, 1.0, 0, 0, 0, 0, 1e9, Double.NaN);
        CoreUsage idling = new CoreUsage(0.7, 0.7, 0, 0, 0, 0, 1e9, 1e9);
        BenchmarkResults results = results(OPTIONS,
                saturation("direct", busy, 100_000, 100_000, 100_000),
                saturation("nginx", busy, 50_000, 50_000, 50_000),
                saturation("gridgate", idling, 40_000, 40_000, 40_000));

        assertThat(BenchmarkReport.table(results))
                .contains("note: CPU1 was only 70% busy in gridgate's saturation runs")
                .doesNotContain("in nginx's saturation runs");
    }

    @Test
    void reportsBothMeasuredCpuFiguresPerRequestInTheTableAndTheJson() {
        // one-second windows of 1,000 responses: 20 ms of proxy time is 20 us per request
        CoreUsage nginx = new CoreUsage(1.0, 1.0, 0, 0, 0, 0, 30e6, 20e6);
        CoreUsage gridgate = new CoreUsage(1.0, 1.0, 0, 0, 0, 0, 31e6, 50e6);
        BenchmarkResults results = results(BenchmarkOptions.parse("--rounds", "1", "--targets", "nginx,gridgate"),
                List.of(new Measurement("nginx", 1, result(1_000, ErrorCounts.NONE), nginx, 0, Double.NaN, Double.NaN,
                                Telemetry.NOT_COUNTED),
                        new Measurement("gridgate", 1, result(1_000, ErrorCounts.NONE), gridgate, 0, Double.NaN,
                                Double.NaN, Telemetry.NOT_COUNTED)));

        assertThat(BenchmarkReport.table(results)).contains("gridgate / nginx = 2.50");
        assertThat(BenchmarkReport.json(results))
                .contains("\"proxyCpuMicrosPerRequest\": 50")
                .contains("\"loadCpuMicrosPerRequest\": 31")
                .contains("\"pinning\": \"one-cpu\"")
                .contains("\"costRatioIsCpuCostRatio\": true");
    }

    @Test
    void flagsEveryRunWithErrorsInTheTableAndTheJson(@TempDir Path dir) throws Exception {
        List<Measurement> runs = List.of(
                new Measurement("direct", 1, result(1_000, new ErrorCounts(0, 0, 0, 0, 0)), CoreUsage.UNKNOWN, 0,
                        Double.NaN, Double.NaN, Telemetry.NOT_COUNTED),
                new Measurement("direct", 2, result(1_000, new ErrorCounts(3, 1, 0, 0, 0)), CoreUsage.UNKNOWN, 0,
                        Double.NaN, Double.NaN, Telemetry.NOT_COUNTED));
        BenchmarkResults results = new BenchmarkResults(BenchmarkOptions.parse("--targets", "direct"),
                Map.of("pinning", "unpinned"), runs, Double.NaN, List.of());

        assertThat(BenchmarkReport.table(results))
                .contains("FLAGGED direct round 2 (closed-loop): errors non-2xx=3 connect=1 timeout=0 io=0");
        String json = Files.readString(BenchmarkReport.writeJson(results, dir));
        assertThat(json)
                .contains("\"flagged\": true")
                .contains("\"non2xx\": 3")
                .contains("\"latencyRate\": null")
                .contains("\"costRatioC\": null");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    }

    @Test
    void takesTheMedianOfTheKnownValues() {
        assertThat(TargetSummary.median(3, 1, 2)).isEqualTo(2);
        assertThat(TargetSummary.median(4, 1, 3, 2)).isEqualTo(2.5);
        assertThat(TargetSummary.median(Double.NaN, 5)).isEqualTo(5);
        assertThat(TargetSummary.median()).isNaN();
    }

    private static BenchmarkResults results(BenchmarkOptions options, List<Measurement> d, List<Measurement> n,
            List<Measurement> g) {
        List<Measurement> all = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.add(d.get(i));
            all.add(n.get(i));
            all.add(g.get(i));
        }
        return results(options, all);
    }

    private static BenchmarkResults results(BenchmarkOptions options, List<Measurement> saturation) {
        return new BenchmarkResults(options, Map.of("pinning", "test"), saturation, Double.NaN, List.of());
    }

    private static List<Measurement> saturation(String target, CoreUsage cpu, long... requestsPerSecond) {
        List<Measurement> runs = new java.util.ArrayList<>();
        for (int i = 0; i < requestsPerSecond.length; i++) {
            runs.add(new Measurement(target, i + 1, result(requestsPerSecond[i], ErrorCounts.NONE), cpu, 0,
                    Double.NaN, Double.NaN, Telemetry.NOT_COUNTED));
        }
        return runs;
    }

    /** A one-second closed-loop window with {@code succeeded} responses. */
    private static LoadResult result(long succeeded, ErrorCounts errors) {
        Histogram latency = new Histogram(3);
        latency.recordValue(100_000);
        return new LoadResult(Pacing.closedLoop(), Duration.ofSeconds(1), succeeded, succeeded, errors, latency,
                new Histogram(3), false, List.of());
    }
}
