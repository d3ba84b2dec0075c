package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ObservabilityReportTest {

    private static final BenchmarkOptions OPTIONS = BenchmarkOptions.parse("--scenario", "observability");
    private static final BenchmarkOptions TEN_PERCENT = BenchmarkOptions.parse("--scenario", "observability",
            "--sampler-ratio", "0.1");
    private static final CoreUsage BUSY = new CoreUsage(1.0, 1.0, 0, 0, 0, 0, 1e9, 1e9);

    @Test
    void printsAndWritesTheWholeReportAsBeforeUnderEveryPinning() throws Exception {
        for (String pinning : List.of("one-cpu", "split", "none")) {
            BenchmarkResults results = results(BenchmarkOptions.parse("--scenario", "observability", "--pinning",
                    pinning), run("plain", 1, 40_000, 0, 0), run("observed", 1, 36_000, 72_000, 36_000),
                    run("plain", 2, 41_000, 0, 0), run("observed", 2, 37_000, 50_000, 37_000));
            Golden.assertReport("observability-" + pinning + ".txt", ObservabilityReport.table(results),
                    ObservabilityReport.json(results));
        }
        BenchmarkResults broken = results(TEN_PERCENT,
                run("plain", 1, 40_000, 10, 0), run("observed", 1, 30_000, 6_000, 0),
                run("plain", 2, 40_000, 0, 0), run("observed", 2, 30_000, 0, 30_000));
        Golden.assertReport("observability-problems.txt", ObservabilityReport.table(broken),
                ObservabilityReport.json(broken));
    }

    @Test
    void reportsBothThroughputsTheRatioAgainstItsTargetAndWhatTheSinkAndTheAccessLogReceived() {
        BenchmarkResults results = results(OPTIONS,
                run("plain", 1, 40_000, 0, 0), run("observed", 1, 36_000, 72_000, 36_000),
                run("plain", 2, 41_000, 0, 0), run("observed", 2, 37_000, 74_000, 37_000),
                run("plain", 3, 39_000, 0, 0), run("observed", 3, 30_000, 60_000, 30_000));

        String table = ObservabilityReport.table(results);

        assertThat(table)
                .contains("Observability benchmark: 3 rounds, interleaved plain,observed")
                .contains("plain     tracing off, access log off")
                .contains("observed  tracing always_on")
                .contains("observed/plain = 0.90  (target >= 0.90, tracing 100 % of requests): meets the target")
                .contains("from measured CPU per request (load + node, process time): observed/plain = ")
                .contains("206,000 spans in 103 OTLP/HTTP exports, 41,200,000 bytes, for 103,000 responses: 2.000"
                        + " spans per response (expected 2: server + upstream span), 400 bytes per response, 2000"
                        + " spans per export")
                .contains("access log (file): 103,000 lines for 103,000 responses: 1.000 lines per response")
                .doesNotContain("NOT VERIFIED", "FLAGGED", "note:");
        assertThat(table.lines().filter(l -> l.startsWith("observed ")).findFirst().orElseThrow())
                .contains("36,000", "0.90", "2.000", "1.000");
        assertThat(table.lines().filter(l -> l.startsWith("plain ")).findFirst().orElseThrow())
                .contains("40,000", "1.00", "0.000");
    }

    @Test
    void givesNoVerdictWhenTheObservedNodeExportedNothing() {
        BenchmarkResults results = results(OPTIONS, run("plain", 1, 40_000, 0, 0),
                run("observed", 1, 39_200, 0, 39_200));

        assertThat(ObservabilityReport.problems(results)).hasSize(1);
        assertThat(ObservabilityReport.table(results))
                .contains("observed/plain = 0.98  (target >= 0.90, tracing 100 % of requests): NO VERDICT: the"
                        + " observed node is not verifiably tracing, see below")
                .contains("NOT VERIFIED: the observed node exported NOTHING");
        assertThat(ObservabilityReport.json(results))
                .contains("\"verified\": false")
                .contains("\"verdict\": \"NO VERDICT: the observed node is not verifiably tracing, see below\"");
    }

    @Test
    void givesNoVerdictWhenARunExportedNothingThePlainNodeExportedOrTheAccessLogStayedEmpty() {
        BenchmarkResults results = results(OPTIONS,
                run("plain", 1, 40_000, 10, 0), run("observed", 1, 30_000, 60_000, 0),
                run("plain", 2, 40_000, 0, 0), run("observed", 2, 30_000, 0, 30_000));

        assertThat(ObservabilityReport.problems(results)).containsExactly(
                "1 of the observed node's runs exported no span",
                "the sink received 10 spans during the plain node's runs: it is not a baseline without tracing",
                "1 of the observed node's runs wrote no access-log line");
        assertThat(ObservabilityReport.verdict(0.75, false)).startsWith("NO VERDICT");
    }

    @Test
    void measuresTracingAloneWithTheAccessLogOffAndSaysSo() {
        BenchmarkOptions tracingOnly = BenchmarkOptions.parse("--scenario", "observability", "--access-log", "off");
        BenchmarkResults results = results(tracingOnly, run("plain", 1, 40_000, 0, 0),
                run("observed", 1, 32_000, 64_000, 0));

        assertThat(ObservabilityReport.problems(results)).isEmpty();
        assertThat(ObservabilityReport.table(results))
                .contains("observed/plain = 0.80  (target >= 0.90, tracing 100 % of requests): BELOW THE TARGET")
                .contains("access log OFF (--access-log off: tracing only)")
                .contains("note: --access-log off: tracing only")
                .doesNotContain("access log (file)");
    }

    @Test
    void notesSpansTheNodeDroppedBeforeExport() {
        BenchmarkResults results = results(OPTIONS, run("plain", 1, 40_000, 0, 0),
                run("observed", 1, 36_000, 50_000, 36_000));

        assertThat(ObservabilityReport.table(results)).contains("note: 1.389 spans per response, fewer than 2: the"
                + " node dropped spans before export");
    }

    @Test
    void writesTheRatioTheVerdictAndTheTelemetryOfEveryRunAsJson() {
        BenchmarkResults results = results(OPTIONS, run("plain", 1, 40_000, 0, 0),
                run("observed", 1, 36_000, 72_000, 36_000));

        String json = ObservabilityReport.json(results);

        assertThat(json)
                .contains("\"scenario\": \"observability\"")
                .contains("\"accessLog\": \"file\"")
                .contains("\"samplerRatio\": 1,")
                .contains("\"sampler\": \"always_on\"")
                .contains("\"expectedSpansPerResponse\": 2,")
                .contains("\"observedOverPlain\": 0.900")
                .contains("\"target\": 0.900")
                .contains("\"verdict\": \"meets the target\"")
                .contains("\"spansPerResponse\": 2")
                .contains("\"accessLogLinesPerResponse\": 1")
                .contains("\"verified\": true")
                .contains("\"telemetryPerRun\"")
                .doesNotContain("rateFraction", "leaseSize", "latencyRuns");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    }

    @Test
    void expectsSpansForTheSampledShareOfResponsesAndStatesTheRatioNextToTheVerdict() {
        BenchmarkResults results = results(TEN_PERCENT,
                run("plain", 1, 40_000, 0, 0), run("observed", 1, 36_000, 7_200, 36_000));

        String table = ObservabilityReport.table(results);

        assertThat(ObservabilityReport.problems(results)).isEmpty();
        assertThat(table)
                .contains("observed  tracing parentbased_traceidratio 0.1 (10 % of requests), OTLP/HTTP")
                .contains("observed/plain = 0.90  (target >= 0.90, tracing 10 % of requests, not the issue's 100 %):"
                        + " meets the target")
                .contains("7,200 spans in 4 OTLP/HTTP exports, 1,440,000 bytes, for 36,000 responses: 0.200 spans per"
                        + " response (expected 0.2: server + upstream span of the 10 % of requests sampled)")
                .contains("note: --sampler-ratio 0.1: 10 % of requests traced, what tracing costs at that sampling"
                        + " rate; the issue's target is for 100 % (the default)")
                .doesNotContain("dropped", "NOT VERIFIED");
        assertThat(ObservabilityReport.json(results))
                .contains("\"samplerRatio\": 0.1,")
                .contains("\"sampler\": \"parentbased_traceidratio 0.1\"")
                .contains("\"expectedSpansPerResponse\": 0.2,")
                .contains("\"verdict\": \"meets the target\"");
    }

    @Test
    void tellsDroppedSpansFromSamplingNoiseBelowOneHundredPercent() {
        // 36,000 responses at 10 %: 2 sqrt(0.1 x 0.9 / 36,000) = 0.0032 spans per response is one deviation, so
        // 0.2 x 0.995 - 4 x 0.0032 = 0.186 is the fewest that sampling alone explains.
        assertThat(ObservabilityReport.fewestSpansPerResponse(0.1, 36_000)).isCloseTo(0.18635, within(1e-5));
        assertThat(ObservabilityReport.fewestSpansPerResponse(1.0, 36_000)).isCloseTo(1.99, within(1e-12));

        BenchmarkResults noise = results(TEN_PERCENT, run("plain", 1, 40_000, 0, 0),
                run("observed", 1, 36_000, 6_800, 36_000));
        assertThat(ObservabilityReport.table(noise)).contains("0.189 spans per response").doesNotContain("dropped");

        BenchmarkResults dropped = results(TEN_PERCENT, run("plain", 1, 40_000, 0, 0),
                run("observed", 1, 36_000, 6_600, 36_000));
        assertThat(ObservabilityReport.table(dropped)).contains("note: 0.183 spans per response, fewer than 0.2 by"
                + " more than sampling noise (0.186 at the least over these responses): the node dropped spans before"
                + " export (queue of 8192 full?), so it did less tracing work than 10 % sampling asks");
    }

    @Test
    void stillWantsSpansFromEveryObservedRunBelowOneHundredPercent() {
        BenchmarkResults silent = results(TEN_PERCENT, run("plain", 1, 40_000, 0, 0),
                run("observed", 1, 30_000, 0, 30_000), run("plain", 2, 40_000, 0, 0),
                run("observed", 2, 30_000, 0, 30_000));
        BenchmarkResults oneSilent = results(TEN_PERCENT, run("plain", 1, 40_000, 0, 0),
                run("observed", 1, 30_000, 6_000, 30_000), run("plain", 2, 40_000, 0, 0),
                run("observed", 2, 30_000, 0, 30_000));

        assertThat(ObservabilityReport.problems(silent)).containsExactly("the observed node exported NOTHING: the sink"
                + " received no span in any of its runs (is tracing on in this build? see its log) (at 10 % sampling,"
                + " about 3,000 sampled requests were expected per run)");
        assertThat(ObservabilityReport.problems(oneSilent)).containsExactly("1 of the observed node's runs exported no"
                + " span (at 10 % sampling, about 3,000 sampled requests were expected per run)");
        assertThat(ObservabilityReport.table(oneSilent)).contains("(target >= 0.90, tracing 10 % of requests, not the"
                + " issue's 100 %): NO VERDICT");
    }

    private static BenchmarkResults results(BenchmarkOptions options, Measurement... runs) {
        return new BenchmarkResults(options, Map.of("pinning", "test"), List.of(runs), Double.NaN, List.of());
    }

    /** A one-second closed-loop run of {@code requests} responses, with what the sink and the access log got. */
    private static Measurement run(String target, int round, long requests, double spans, double logLines) {
        Histogram latency = new Histogram(3);
        latency.recordValue(100_000);
        LoadResult result = new LoadResult(Pacing.closedLoop(), Duration.ofSeconds(1), requests, requests,
                ErrorCounts.NONE, latency, new Histogram(3), false, List.of());
        Telemetry telemetry = new Telemetry(spans / 2000, spans, spans * 200, spans * 1000, logLines);
        return new Measurement(target, round, result, BUSY, 0, Double.NaN, Double.NaN, telemetry);
    }
}
