package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ComposeReportTest {

    private static final BenchmarkOptions OPTIONS = BenchmarkOptions.parse("--scenario", "compose", "--rounds", "1");

    @Test
    void printsAndWritesTheWholeReportAsBeforeUnderEveryPinning() throws Exception {
        for (String pinning : List.of("one-cpu", "split", "none")) {
            BenchmarkResults results = results(BenchmarkOptions.parse("--scenario", "compose", "--rounds", "2",
                    "--pinning", pinning),
                    run("direct-slowest", 1, 25.10, 26.00, 1, Double.NaN, ErrorCounts.NONE),
                    run("proxy-slowest", 1, 25.30, 26.50, 1, 100e6, ErrorCounts.NONE),
                    run("composed", 1, 25.70, 27.00, 3, 300e6, ErrorCounts.NONE),
                    noisy(run("direct-slowest", 2, 25.20, 26.10, 1, Double.NaN, ErrorCounts.NONE)),
                    run("proxy-slowest", 2, 25.40, 26.40, 1, 100e6, ErrorCounts.NONE),
                    run("composed", 2, 25.60, 27.20, 3, 300e6, new ErrorCounts(0, 0, 0, 0, 2)));
            Golden.assertReport("compose-" + pinning + ".txt", ComposeReport.table(results),
                    ComposeReport.json(results));
        }
    }

    @Test
    void reportsEachTargetsPercentilesAndWhatCompositionAddsOverTheSlowestUpstreamAndOverAProxyHop() {
        BenchmarkResults results = results(OPTIONS,
                run("direct-slowest", 1, 25.10, 26.00, 1, Double.NaN, ErrorCounts.NONE),
                run("proxy-slowest", 1, 25.30, 26.50, 1, 100e6, ErrorCounts.NONE),
                run("composed", 1, 25.70, 27.00, 3, 300e6, ErrorCounts.NONE));

        String table = ComposeReport.table(results);

        // Percentiles are the tops of HdrHistogram's buckets, 16.384 us wide at 25 ms: 25.10 ms reads 25.100287,
        // 25.30 reads 25.313279, 25.70 reads 25.706495 ms.
        assertThat(table)
                .contains("Compose benchmark: 1 rounds, interleaved direct-slowest,proxy-slowest,composed; open loop"
                        + " at 200 req/s; 32 connections; 2s warm-up + 10s per run")
                .contains("/fast-a and /fast-b answer after 20 ms, /slowest after 25 ms")
                .contains("composed        Gridgate route /composed, composite: 3 calls in parallel (20 ms, 20 ms,"
                        + " 25 ms), merged")
                .contains("added latency over the slowest upstream, composed p99 - direct-slowest p99, median of the 1"
                        + " quiet paired rounds (range +0.61 to +0.61): +0.61 ms (target <= 1.00 ms): meets the"
                        + " target")
                .contains("  all rounds' requests together: p50 +0.61, p90 +0.61, p99 +0.61, p99.9 +1.00 ms;"
                        + " composed / direct-slowest: p50 1.024, p99 1.024")
                .contains("composition beyond a proxy hop, composed - proxy-slowest: p99 median of the 1 quiet paired"
                        + " rounds (range +0.39 to +0.39): +0.39 ms")
                .contains("p50 +0.39, p90 +0.39, p99 +0.39, p99.9 +0.49 ms; composed / proxy-slowest: p50 1.016, p99"
                        + " 1.016")
                .contains("the proxy hop, proxy-slowest - direct-slowest: p99 median of the 1 quiet paired rounds (range"
                        + " +0.21 to +0.21): +0.21 ms")
                .contains("in parallel: composed p50 25.71 ms = 1.028 x the slowest call (25 ms), 0.40 x the three"
                        + " calls one after another (65 ms)")
                .contains("bodies checked, every response (warm-ups included): direct-slowest 2,400, proxy-slowest"
                        + " 2,400, composed 2,400; wrong: 0")
                .doesNotContain("FLAGGED", "WRONG", "note:");
        assertThat(row(table, "direct-slowest")).contains("25.10", "26.00", "1.000", "n/a");
        assertThat(row(table, "composed")).contains("200", "25.71", "27.00", "3.000", " 125 ", "20%");
        assertThat(row(table, "proxy-slowest")).contains(" 42 ");
    }

    @Test
    void judgesByTheMedianOfThePairedRoundsWhichOneDisturbedRoundOfTheBaselineCannotTurnIntoAPass() {
        BenchmarkOptions threeRounds = BenchmarkOptions.parse("--scenario", "compose", "--rounds", "3");
        BenchmarkResults results = results(threeRounds,
                run("direct-slowest", 1, 25.0, 120.0, 100, 1, Double.NaN, ErrorCounts.NONE),
                run("composed", 1, 26.5, 28.0, 3, 300e6, ErrorCounts.NONE),
                run("direct-slowest", 2, 25.0, 26.0, 1, Double.NaN, ErrorCounts.NONE),
                run("composed", 2, 26.5, 27.0, 3, 300e6, ErrorCounts.NONE),
                run("direct-slowest", 3, 25.0, 26.0, 1, Double.NaN, ErrorCounts.NONE),
                run("composed", 3, 26.5, 27.0, 3, 300e6, ErrorCounts.NONE));
        // A stall in direct's round 1: 100 of its 2,000 requests at 120 ms. With all rounds together they are more
        // than the top 1%, so p99 of all requests has composed 93 ms faster than the upstream it waits for.
        Map<String, ComposeLatency> latencies = ComposeReport.latencies(results);

        assertThat(ComposeReport.difference(latencies, "composed", "direct-slowest", 99))
                .isCloseTo(top(26.5) - top(120.0), within(0.001));
        assertThat(ComposeReport.medianP99Difference(ComposeReport.pairs(results, "composed", "direct-slowest")))
                .isCloseTo(top(26.5) - top(25.0), within(0.001));
        assertThat(ComposeReport.table(results)).contains("median of the 3 quiet paired rounds (range -93.55 to"
                + " +1.51): +1.51 ms (target <= 1.00 ms): ABOVE THE TARGET");
    }

    @Test
    void leavesRoundsInWhichOthersUsedTheCoreOutOfTheMedianAndGivesNoVerdictWhenEveryRoundWasNoisy() {
        BenchmarkOptions threeRounds = BenchmarkOptions.parse("--scenario", "compose", "--rounds", "3");
        BenchmarkResults results = results(threeRounds,
                noisy(run("direct-slowest", 1, 30.0, 31.0, 1, Double.NaN, ErrorCounts.NONE)),
                run("composed", 1, 26.5, 27.0, 3, 300e6, ErrorCounts.NONE),
                run("direct-slowest", 2, 25.0, 26.0, 1, Double.NaN, ErrorCounts.NONE),
                run("composed", 2, 27.0, 28.0, 3, 300e6, ErrorCounts.NONE),
                run("direct-slowest", 3, 25.0, 26.0, 1, Double.NaN, ErrorCounts.NONE),
                run("composed", 3, 26.5, 27.0, 3, 300e6, ErrorCounts.NONE));
        List<ComposeReport.Pair> pairs = ComposeReport.pairs(results, "composed", "direct-slowest");

        assertThat(pairs).extracting(ComposeReport.Pair::noisy).containsExactly(true, false, false);
        // Of round 2's +2.0 and round 3's +1.5 ms; with round 1's -3.5 the median would be +1.5.
        assertThat(ComposeReport.medianP99Difference(pairs))
                .isCloseTo(((top(27.0) - top(25.0)) + (top(26.5) - top(25.0))) / 2, within(0.001));
        assertThat(ComposeReport.table(results)).contains("median of the 2 quiet paired rounds (1 noisy left out;"
                + " range +1.51 to +2.00, all -3.51 to +2.00): +1.75 ms (target <= 1.00 ms): ABOVE THE TARGET");

        BenchmarkResults allNoisy = results(OPTIONS,
                noisy(run("direct-slowest", 1, 25.0, 26.0, 1, Double.NaN, ErrorCounts.NONE)),
                run("composed", 1, 25.5, 27.0, 3, 300e6, ErrorCounts.NONE));
        assertThat(ComposeReport.verdict(ComposeReport.pairs(allNoisy, "composed", "direct-slowest"), true))
                .isEqualTo("NO VERDICT: every round was noisy");
    }

    @Test
    void computesDifferencesAndRatiosOfAllTheRoundsRequestsTogetherAndPairsTheRoundsP99s() {
        BenchmarkOptions threeRounds = BenchmarkOptions.parse("--scenario", "compose", "--rounds", "3");
        BenchmarkResults results = results(threeRounds,
                run("direct-slowest", 1, 25.0, 26.0, 1, Double.NaN, ErrorCounts.NONE),
                run("composed", 1, 25.5, 26.0, 3, 300e6, ErrorCounts.NONE),
                run("direct-slowest", 2, 25.0, 26.0, 1, Double.NaN, ErrorCounts.NONE),
                run("composed", 2, 26.5, 27.0, 3, 300e6, ErrorCounts.NONE),
                run("direct-slowest", 3, 27.0, 28.0, 1, Double.NaN, ErrorCounts.NONE),
                run("composed", 3, 27.2, 28.0, 3, 300e6, ErrorCounts.NONE));
        Map<String, ComposeLatency> latencies = ComposeReport.latencies(results);

        // All 6,000 measured requests of each target together: p99 is the 5,940th, among the third round's 1,980 fast
        // answers.
        assertThat(ComposeReport.difference(latencies, "composed", "direct-slowest", 99))
                .isCloseTo(top(27.2) - top(27.0), within(0.001));
        assertThat(ComposeReport.ratio(latencies, "composed", "direct-slowest", 50))
                .isCloseTo(top(26.5) / top(25.0), within(1e-9));
        assertThat(ComposeReport.difference(latencies, "composed", "proxy-slowest", 99)).isNaN();
        assertThat(ComposeReport.pairs(results, "composed", "direct-slowest"))
                .extracting(ComposeReport.Pair::p99DifferenceMicros)
                .containsExactly(top(25.5) - top(25.0), top(26.5) - top(25.0), top(27.2) - top(27.0));
        assertThat(latencies.get("composed").p99ByRound()).containsExactly(top(25.5), top(26.5), top(27.2));
        assertThat(ComposeReport.table(results))
                .contains("composed p99 - direct-slowest p99, median of the 3 quiet paired rounds (range +0.21 to"
                        + " +1.51): +0.51 ms (target <= 1.00 ms): meets the target")
                .contains("composition beyond a proxy hop, composed - proxy-slowest: p99 median of the 0 quiet paired"
                        + " rounds (range n/a): n/a ms");
    }

    @Test
    void judgesTheAddedP99AgainstOneMillisecondOnlyWhenNoRunHadErrors() {
        assertThat(ComposeReport.verdict(List.of(pair(800), pair(1000), pair(5000)), true))
                .isEqualTo("meets the target");
        assertThat(ComposeReport.verdict(List.of(pair(1000.5)), true)).isEqualTo("ABOVE THE TARGET");
        assertThat(ComposeReport.verdict(List.of(pair(-30)), true)).isEqualTo("meets the target");
        assertThat(ComposeReport.verdict(List.of(), true)).isEqualTo("not measured");
        assertThat(ComposeReport.verdict(List.of(pair(200)), false)).startsWith("NO VERDICT: runs had errors");
    }

    private static ComposeReport.Pair pair(double micros) {
        return new ComposeReport.Pair(1, micros, false);
    }

    @Test
    void countsWrongBodiesAsErrorsAndGivesNoVerdict() {
        BenchmarkResults results = results(OPTIONS,
                run("direct-slowest", 1, 25.10, 26.00, 1, Double.NaN, ErrorCounts.NONE),
                run("composed", 1, 25.70, 27.00, 3, 300e6, new ErrorCounts(0, 0, 0, 0, 7)));

        assertThat(ComposeReport.table(results))
                .contains("+0.61 ms (target <= 1.00 ms): NO VERDICT: runs had errors")
                .contains("; wrong: 7  WRONG BODIES: counted as errors")
                .contains("FLAGGED composed round 1 (fixed-rate 200 req/s): errors non-2xx=0 connect=0 timeout=0"
                        + " io=0 wrong-body=7");
        assertThat(ComposeReport.json(results))
                .contains("\"wrongBodies\": 7")
                .contains("\"flagged\": true");
    }

    @Test
    void writesThePercentilesTheFiguresAndEveryRunAsJson() {
        BenchmarkResults results = results(OPTIONS,
                run("direct-slowest", 1, 25.10, 26.00, 1, Double.NaN, ErrorCounts.NONE),
                run("proxy-slowest", 1, 25.30, 26.50, 1, 100e6, ErrorCounts.NONE),
                run("composed", 1, 25.70, 27.00, 3, 300e6, ErrorCounts.NONE));

        String json = ComposeReport.json(results);

        assertThat(json)
                .contains("\"scenario\": \"compose\"")
                .contains("\"rate\": 200")
                .contains("\"upstreamDelayMillis\": 20")
                .contains("\"/slowest\": 25")
                .contains("\"p99Micros\": 25100.287")
                .contains("\"addedOverSlowestP99Micros\": 606.208")
                .contains("\"addedOverSlowestP99AllRequestsMicros\": 606.208")
                .contains("\"addedOverSlowestP99TargetMicros\": 1000")
                .contains("\"addedOverSlowestVerdict\": \"meets the target\"")
                .contains("\"composedMinusProxySlowestAllRequestsMicros\"", "\"p50\": 393.216")
                .contains("\"p999\": ")
                .contains("\"backendRequestsPerResponse\": 3")
                .contains("\"latencyRuns\"")
                .contains("\"wrongBodies\": 0")
                .doesNotContain("rateFraction", "leaseSize", "saturationRuns");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    }

    /** {@code m} as a run in which others took half the core. */
    private static Measurement noisy(Measurement m) {
        CoreUsage cpu = new CoreUsage(0.9, 0.9, 0.5, 0.5, 0.8, 0.8, m.cpu().loadCpuNanos(), m.cpu().proxyCpuNanos());
        return new Measurement(m.target(), m.round(), m.result(), cpu, m.loadGcMillis(), m.gridRoundTrips(),
                m.backendRequests(), m.telemetry());
    }

    private static String row(String table, String target) {
        return table.lines().filter(l -> l.startsWith(target + " ")).findFirst().orElseThrow();
    }

    private static BenchmarkResults results(BenchmarkOptions options, Measurement... runs) {
        return new BenchmarkResults(options, Map.of("pinning", "test"), List.of(), options.rate(), List.of(runs));
    }

    /** What HdrHistogram reads back for {@code millis}, the top of its bucket, in microseconds. */
    private static double top(double millis) {
        return new Histogram(3).highestEquivalentValue(Math.round(millis * 1e6)) / 1000.0;
    }

    /**
     * A 10 s run at 200 req/s (plus 2 s of warm-up): 2,000 requests, 1,980 answered after {@code fastMillis} and 20
     * after {@code slowMillis}; {@code backendPerResponse} upstream requests per response, {@code nodeCpuNanos} of
     * node CPU over its 2,400 responses.
     */
    private static Measurement run(String target, int round, double fastMillis, double slowMillis,
            int backendPerResponse, double nodeCpuNanos, ErrorCounts errors) {
        return run(target, round, fastMillis, slowMillis, 20, backendPerResponse, nodeCpuNanos, errors);
    }

    /** As above, with {@code slow} of the 2,000 answered after {@code slowMillis}. */
    private static Measurement run(String target, int round, double fastMillis, double slowMillis, int slow,
            int backendPerResponse, double nodeCpuNanos, ErrorCounts errors) {
        Histogram latency = new Histogram(3);
        latency.recordValueWithCount(Math.round(fastMillis * 1e6), 2_000 - slow);
        latency.recordValueWithCount(Math.round(slowMillis * 1e6), slow);
        Histogram sendLag = new Histogram(3);
        sendLag.recordValueWithCount(10_000, 2_000);
        LoadResult result = new LoadResult(Pacing.fixedRate(200), Duration.ofSeconds(10), 2_000, 2_400, errors,
                latency, sendLag, false, java.util.List.of());
        CoreUsage cpu = new CoreUsage(0.2, 0.2, 0, 0, 0, 0, 1e8, nodeCpuNanos);
        return new Measurement(target, round, result, cpu, 0, Double.NaN, 2_400.0 * backendPerResponse,
                Telemetry.NOT_COUNTED);
    }
}
