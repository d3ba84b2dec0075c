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
    void reportsMedianThroughputTheRatiosAndC() {
        BenchmarkResults results = results(
                saturation("direct", 100_000, 101_000, 99_000),
                saturation("nginx", 50_000, 30_000, 51_000),
                saturation("gridgate", 40_000, 41_000, 39_000));

        String table = BenchmarkReport.table(results);

        assertThat(results.summary("nginx").orElseThrow().requestsPerSecond()).isEqualTo(50_000);
        assertThat(table)
                .contains("G/D = 0.40", "G/N = 0.80", "C = (D/G-1)/(D/N-1) = 1.50")
                .doesNotContain("FLAGGED");
    }

    @Test
    void flagsEveryRunWithErrorsInTheTableAndTheJson(@TempDir Path dir) throws Exception {
        List<Measurement> runs = List.of(
                new Measurement("direct", 1, result(1_000, new ErrorCounts(0, 0, 0, 0)), CoreUsage.UNKNOWN, 0),
                new Measurement("direct", 2, result(1_000, new ErrorCounts(3, 1, 0, 0)), CoreUsage.UNKNOWN, 0));
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

    private static BenchmarkResults results(List<Measurement> d, List<Measurement> n, List<Measurement> g) {
        List<Measurement> all = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.add(d.get(i));
            all.add(n.get(i));
            all.add(g.get(i));
        }
        return new BenchmarkResults(OPTIONS, Map.of("pinning", "test"), all, Double.NaN, List.of());
    }

    private static List<Measurement> saturation(String target, long... requestsPerSecond) {
        List<Measurement> runs = new java.util.ArrayList<>();
        for (int i = 0; i < requestsPerSecond.length; i++) {
            runs.add(new Measurement(target, i + 1, result(requestsPerSecond[i], ErrorCounts.NONE),
                    CoreUsage.UNKNOWN, 0));
        }
        return runs;
    }

    /** A one-second closed-loop window with {@code succeeded} responses. */
    private static LoadResult result(long succeeded, ErrorCounts errors) {
        Histogram latency = new Histogram(3);
        latency.recordValue(100_000);
        return new LoadResult(Pacing.closedLoop(), Duration.ofSeconds(1), succeeded, succeeded, errors, latency,
                new Histogram(3), false);
    }
}
