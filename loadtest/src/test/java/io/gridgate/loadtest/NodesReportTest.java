package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class NodesReportTest {

    private static final BenchmarkOptions OPTIONS = BenchmarkOptions.parse("--scenario", "nodes");
    private static final CoreUsage BUSY = new CoreUsage(1.0, 1.0, 0, 0, 0, 0, 1e9, 1e9);
    private static final double RATE = 10_000;
    private static final List<OptionalLong> HELD = List.of(OptionalLong.of(3), OptionalLong.of(3), OptionalLong.of(3));

    @Test
    void printsAndWritesTheWholeReportAsBeforeUnderEveryPinning() throws Exception {
        for (String pinning : List.of("one-cpu", "split", "none")) {
            NodesReport report = new NodesReport(results(BenchmarkOptions.parse("--scenario", "nodes", "--pinning",
                    pinning), List.of(one(1, 30_000), three(1, 8_000, 8_000, 8_000), one(2, 31_000),
                    three(2, 8_100, 8_000, 7_900)), List.of(latency("1-node", 100), latency("3-nodes", 180))), HELD);
            Golden.assertReport("nodes-" + pinning + ".txt", report.table(), report.json());
        }
        Measurement unlimited = new Measurement("1-node", 1, one(1, 30_000).result(), BUSY, 0, 0, Double.NaN,
                Telemetry.NOT_COUNTED);
        NodesReport broken = new NodesReport(results(BenchmarkOptions.parse("--scenario", "nodes", "--limit-mode",
                "leased"), List.of(unlimited, three(1, 12_000, 12_000, 0)), List.of()),
                List.of(OptionalLong.of(2), OptionalLong.of(2), OptionalLong.empty()));
        Golden.assertReport("nodes-problems.txt", broken.table(), broken.json());
    }

    @Test
    void reportsThreeNodesOverOneWhatItMeansOnOneCoreAndHowTheLoadSpread() {
        NodesReport report = new NodesReport(results(OPTIONS,
                List.of(one(1, 30_000), three(1, 8_000, 8_000, 8_000),
                        one(2, 31_000), three(2, 8_100, 8_000, 7_900),
                        one(3, 20_000), three(3, 7_900, 8_000, 8_100)),
                List.of(latency("1-node", 100), latency("3-nodes", 180))), HELD);

        String table = report.table();

        assertThat(table)
                .contains("Nodes benchmark: 3 rounds per phase, interleaved 1-node,3-nodes")
                .contains("pinning one-cpu: generator, backend and proxy all on CPU 1 (every node)")
                .contains("1-node    one node, a cluster of its own")
                .contains("3-nodes/1-node = 0.80  (throughput, closed loop)")
                .contains("what it means: every node shares CPU 1 with the generator and the backend, so three nodes"
                        + " cannot serve more than one")
                .contains("+ is added over 1-node")
                .contains("added latency at 10,000 req/s (3 nodes over 1, open loop): p50 +80 us")
                .contains("CPU1 busy in the latency runs (median): 1-node 100%, 3-nodes 100%")
                .contains("each node's share of the 2xx responses over the saturation runs: 33% / 33% / 33%")
                .contains("members each of the three saw after the rounds: 3, 3, 3")
                .contains("grid round trips per request (the nodes' rate-limit grid operations, from their /metrics):"
                        + " 1-node 1.0000, 3-nodes 1.0000 (expected 1.0000 in exact mode)")
                .doesNotContain("NOT VERIFIED", "FLAGGED", "note:");
        // 1/24,000 - 1/30,000 s: clustering adds 8.33 us per request on the shared core
        assertThat(table).containsPattern("3-nodes +24,000 +0\\.80 +8\\.33 ");
        assertThat(report.problems()).isEmpty();
    }

    @Test
    void sharesTheThreesResponsesByNodeOverAllSaturationRuns() {
        NodesReport report = new NodesReport(results(OPTIONS,
                List.of(one(1, 30_000), three(1, 10_000, 5_000, 5_000), three(2, 10_000, 5_000, 5_000)), List.of()),
                HELD);

        assertThat(report.shares()).containsExactly(0.5, 0.25, 0.25);
        assertThat(new NodesReport(results(OPTIONS, List.of(one(1, 30_000)), List.of()), HELD).shares()).isEmpty();
    }

    @Test
    void withholdsTrustWhenTheClusterFellApartANodeAnsweredNothingOrNoLimitWasChecked() {
        List<OptionalLong> split = List.of(OptionalLong.of(2), OptionalLong.of(2), OptionalLong.empty());
        Measurement unlimited = new Measurement("1-node", 1, one(1, 30_000).result(), BUSY, 0, 0, Double.NaN,
                Telemetry.NOT_COUNTED);
        NodesReport report = new NodesReport(results(OPTIONS, List.of(unlimited, three(1, 12_000, 12_000, 0)),
                List.of()), split);

        assertThat(report.problems()).containsExactly(
                "after the rounds the nodes saw 2, 2, ? members (expected 3 each): the cluster did not hold together",
                "round 1: http://127.0.0.1:9303/ answered nothing",
                "1-node made no rate-limit grid operation: the limit was not checked");
        assertThat(report.table()).contains("NOT VERIFIED: after the rounds the nodes saw 2, 2, ? members");
        assertThat(report.json()).contains("\"verified\": false")
                .containsPattern("\"membersAfterRounds\": \\[\\s*2,\\s*2,\\s*-1\\s*]");
    }

    @Test
    void countsNoisyRunsOfBothPhasesAgainstAllRuns() {
        CoreUsage noisy = new CoreUsage(1.0, 1.0, 0.2, 0.2, 0.5, 0.5, 1e9, 1e9);
        Measurement noisyLatency = new Measurement("3-nodes", 1, latency("3-nodes", 180).result(), noisy, 0,
                Double.NaN, Double.NaN, Telemetry.NOT_COUNTED);
        NodesReport report = new NodesReport(results(OPTIONS, List.of(one(1, 30_000), three(1, 8_000, 8_000, 8_000)),
                List.of(latency("1-node", 100), noisyLatency)), HELD);

        assertThat(report.table()).contains("note: 1 of 4 runs were noisy");
    }

    @Test
    void saysWhatTheRatioMeansUnderEachPinning() {
        assertThat(NodesReport.meaning(CpuPinning.oneCpu(1))).contains("cost", "not how a cluster scales");
        assertThat(NodesReport.meaning(CpuPinning.split())).startsWith("the nodes share CPU 1 (the generator and the"
                + " backend have CPU 0), so three nodes get the one core one node had");
        assertThat(NodesReport.meaning(CpuPinning.none())).startsWith("unpinned");
    }

    @Test
    void writesTheRatiosTheSharesAndEveryRunAsJson() {
        NodesReport report = new NodesReport(results(OPTIONS,
                List.of(one(1, 30_000), three(1, 8_000, 8_000, 8_000)),
                List.of(latency("1-node", 100), latency("3-nodes", 180))), HELD);

        String json = report.json();

        assertThat(json)
                .contains("\"scenario\": \"nodes\"")
                .contains("\"limitMode\": \"exact\"")
                .contains("\"threeNodesOverOneNode\": 0.800")
                .contains("\"addedMicrosPerRequest\": 8.333")
                .contains("\"addedP50Micros\": 80")
                .containsPattern("\"threeNodesShares\": \\[\\s*0\\.333,\\s*0\\.333,\\s*0\\.333\\s*]")
                .containsPattern("\"membersAfterRounds\": \\[\\s*3,\\s*3,\\s*3\\s*]")
                .contains("\"verified\": true")
                .contains("\"latencyRuns\"");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    }

    private static BenchmarkResults results(BenchmarkOptions options, List<Measurement> saturation,
            List<Measurement> latency) {
        return new BenchmarkResults(options, Map.of("pinning", "test"), new ArrayList<>(saturation),
                latency.isEmpty() ? Double.NaN : RATE, latency);
    }

    /** A one-second closed-loop run of the lone node, one grid round trip per response. */
    private static Measurement one(int round, long requests) {
        return saturation("1-node", round, requests, List.of());
    }

    /** A one-second closed-loop run of the three, with each node's 2xx responses. */
    private static Measurement three(int round, long... perNode) {
        List<EndpointResult> endpoints = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < perNode.length; i++) {
            Endpoint endpoint = Endpoint.of(new InetSocketAddress("127.0.0.1", 9301 + i), "/");
            endpoints.add(new EndpointResult(endpoint, perNode[i], ErrorCounts.NONE, new TreeMap<>(),
                    new Histogram(3)));
            total += perNode[i];
        }
        return saturation("3-nodes", round, total, endpoints);
    }

    private static Measurement saturation(String target, int round, long requests, List<EndpointResult> endpoints) {
        Histogram latency = new Histogram(3);
        latency.recordValue(100_000);
        LoadResult result = new LoadResult(Pacing.closedLoop(), Duration.ofSeconds(1), requests, requests,
                ErrorCounts.NONE, latency, new Histogram(3), false, endpoints);
        return new Measurement(target, round, result, BUSY, 0, requests, Double.NaN, Telemetry.NOT_COUNTED);
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
