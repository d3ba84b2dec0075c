package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PluginsReportTest {

    private static final BenchmarkOptions OPTIONS = BenchmarkOptions.parse("--scenario", "plugins");
    private static final CoreUsage BUSY = new CoreUsage(1.0, 1.0, 0, 0, 0, 0, 1e9, 1e9);
    private static final double RATE = 10_000;

    @Test
    void printsAndWritesTheWholeReportAsBeforeUnderEveryPinning() throws Exception {
        for (String pinning : List.of("one-cpu", "split", "none")) {
            BenchmarkResults results = results(BenchmarkOptions.parse("--scenario", "plugins", "--pinning", pinning),
                    List.of(saturation("plain", 1, 40_000, 0, 0), saturation("plugins", 1, 20_000, 40_000, 20_000),
                            saturation("plain", 2, 41_000, 0, 0), saturation("plugins", 2, 21_000, 30_000, 21_000)),
                    List.of(latency("plain", 100), latency("plugins", 160)));
            Golden.assertReport("plugins-" + pinning + ".txt", PluginsReport.table(results),
                    PluginsReport.json(results));
        }
        BenchmarkResults broken = results(BenchmarkOptions.parse("--scenario", "plugins", "--limit-mode", "leased"),
                List.of(saturation("plain", 1, 40_000, 10, 5), saturation("plugins", 1, 20_000, 40_000, 0),
                        saturation("plain", 2, 40_000, 0, 5), saturation("plugins", 2, 20_000, 0, 0)),
                List.of());
        Golden.assertReport("plugins-problems.txt", PluginsReport.table(broken), PluginsReport.json(broken));
    }

    @Test
    void reportsPluginsOverPlainTheTimeThePluginsAddAndTheEvidenceThatTheyWereAtWork() {
        BenchmarkResults results = results(
                List.of(saturation("plain", 1, 40_000, 0, 0), saturation("plugins", 1, 20_000, 40_000, 20_000),
                        saturation("plain", 2, 41_000, 0, 0), saturation("plugins", 2, 21_000, 42_000, 21_000),
                        saturation("plain", 3, 30_000, 0, 0), saturation("plugins", 3, 19_000, 38_000, 19_000)),
                List.of(latency("plain", 100), latency("plugins", 160)));

        String table = PluginsReport.table(results);

        assertThat(table)
                .contains("Plugins benchmark: 3 rounds per phase, interleaved plain,plugins")
                .contains("plain     no auth, no rate limit, tracing off, access log off")
                .contains("plugins   JWT auth (HS256")
                .contains("checked before the rounds: plain node, no token: 200; plugins node, no token: 401;")
                .contains("plugins/plain = 0.50  (throughput, closed loop: JWT auth, the cluster rate limit and"
                        + " tracing at 100 % together)")
                .contains("from measured CPU per request (load + node, process time): plugins/plain = ")
                .contains("Latency at 10,000 req/s, open loop")
                .contains("+ is added over plain")
                .contains("added latency at 10,000 req/s (plugins over plain, open loop): p50 +60 us")
                .contains("CPU1 busy in the latency runs (median): plain 100%, plugins 100% (the same rate for both:")
                .contains("120,000 spans for 60,000 responses: 2.000 spans per response (expected 2")
                .contains("grid round trips per request (the node's rate-limit grid operations, from its /metrics):"
                        + " plugins 1.0000 (expected 1.0000 in exact mode), plain 0.0000")
                .doesNotContain("NOT VERIFIED", "FLAGGED", "note:");
        // 1/20,000 - 1/40,000 s: the plugins add 25 us per request on the shared core
        assertThat(table).containsPattern("plugins +20,000 +0\\.50 +25\\.00 ");
        assertThat(PluginsReport.problems(results)).isEmpty();
    }

    @Test
    void withholdsTrustWhenThePluginsNodeDidNotTraceOrLimitOrThePlainNodeDid() {
        BenchmarkResults results = results(
                List.of(saturation("plain", 1, 40_000, 10, 5), saturation("plugins", 1, 20_000, 40_000, 0),
                        saturation("plain", 2, 40_000, 0, 5), saturation("plugins", 2, 20_000, 0, 0)),
                List.of());

        assertThat(PluginsReport.problems(results)).containsExactly(
                "1 of the plugins node's runs exported no span",
                "the sink received 10 spans during the plain node's runs: it is not a baseline without tracing",
                "the plugins node made no rate-limit grid operation: its limit was not checked",
                "the plain node made rate-limit grid operations: it is not a baseline without a limit");
        assertThat(PluginsReport.table(results)).contains("NOT VERIFIED: 1 of the plugins node's runs exported no"
                + " span");
    }

    @Test
    void notesSpansTheNodeDroppedBeforeExport() {
        BenchmarkResults results = results(List.of(saturation("plain", 1, 40_000, 0, 0),
                saturation("plugins", 1, 20_000, 30_000, 20_000)), List.of());

        assertThat(PluginsReport.table(results)).contains("note: 1.500 spans per response, fewer than 2: the node"
                + " dropped spans before export");
    }

    @Test
    void saysWhenThePluginsNodeExportedNothingAtAll() {
        BenchmarkResults results = results(List.of(saturation("plain", 1, 40_000, 0, 0),
                saturation("plugins", 1, 20_000, 0, 20_000)), List.of());

        assertThat(PluginsReport.problems(results)).containsExactly("the plugins node exported NOTHING: the sink"
                + " received no span in any of its runs (is tracing on in this build? see its log)");
    }

    @Test
    void writesTheRatiosTheAddedLatencyTheTelemetryAndEveryRunAsJson() {
        BenchmarkResults results = results(
                List.of(saturation("plain", 1, 40_000, 0, 0), saturation("plugins", 1, 20_000, 40_000, 20_000)),
                List.of(latency("plain", 100), latency("plugins", 160)));

        String json = PluginsReport.json(results);

        assertThat(json)
                .contains("\"scenario\": \"plugins\"")
                .contains("\"limitMode\": \"exact\"")
                .contains("\"rateFraction\": 0.250")
                .contains("\"pluginsOverPlain\": 0.500")
                .contains("\"addedMicrosPerRequest\": 25")
                .contains("\"addedP50Micros\": 60")
                .contains("\"latencyRate\": 10000")
                .contains("\"spansPerResponse\": 2")
                .contains("\"verified\": true")
                .contains("\"latencyRuns\"")
                .doesNotContain("leaseSize");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    }

    private static BenchmarkResults results(List<Measurement> saturation, List<Measurement> latency) {
        return results(OPTIONS, saturation, latency);
    }

    private static BenchmarkResults results(BenchmarkOptions options, List<Measurement> saturation,
            List<Measurement> latency) {
        Map<String, String> environment = Map.of(PluginsReport.CHECKS, "plain node, no token: 200; plugins node,"
                + " no token: 401; plugins node, the load's token: 200 with RateLimit-Policy \"bench\"");
        return new BenchmarkResults(options, environment, new ArrayList<>(saturation),
                latency.isEmpty() ? Double.NaN : RATE, latency);
    }

    /** A one-second closed-loop run of {@code requests} responses, with its spans and grid round trips. */
    private static Measurement saturation(String target, int round, long requests, double spans, double trips) {
        Histogram latency = new Histogram(3);
        latency.recordValue(100_000);
        LoadResult result = new LoadResult(Pacing.closedLoop(), Duration.ofSeconds(1), requests, requests,
                ErrorCounts.NONE, latency, new Histogram(3), false, List.of());
        Telemetry telemetry = new Telemetry(spans / 1000, spans, spans * 400, spans * 500, 0);
        return new Measurement(target, round, result, BUSY, 0, trips, Double.NaN, telemetry);
    }

    /** A one-second run at the latency phase's rate, every request taking {@code micros}. */
    private static Measurement latency(String target, long micros) {
        Histogram latency = new Histogram(3);
        latency.recordValueWithCount(micros * 1000, (long) RATE);
        LoadResult result = new LoadResult(Pacing.fixedRate(RATE), Duration.ofSeconds(1), (long) RATE, (long) RATE,
                ErrorCounts.NONE, latency, new Histogram(3), false, List.of());
        return new Measurement(target, 1, result, BUSY, 0, Double.NaN, Double.NaN, Telemetry.NOT_COUNTED);
    }
}
