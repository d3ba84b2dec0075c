package io.gridgate.loadtest;

import static io.gridgate.loadtest.BenchmarkReport.num;
import static io.gridgate.loadtest.BenchmarkReport.seconds;
import static io.gridgate.loadtest.BenchmarkReport.signed;
import static io.gridgate.loadtest.NodesScenario.ONE;
import static io.gridgate.loadtest.NodesScenario.THREE;

import io.gridgate.loadtest.BenchmarkReport.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.ToDoubleFunction;

/**
 * Renders a run of the nodes scenario ({@link NodesScenario}): throughput of one node and of three, 3-nodes/1-node and
 * what it means under the run's pinning, CPU per request, latency at a moderate fixed rate, how the load spread over
 * the three and whether they stayed one cluster, as the console table and as JSON.
 *
 * @param results the rounds
 * @param membersAfter the members each of the three nodes saw after the rounds, in their order
 */
record NodesReport(BenchmarkResults results, List<OptionalLong> membersAfter) {

    NodesReport {
        membersAfter = List.copyOf(membersAfter);
    }

    /**
     * Each node's share of the three's 2xx responses over the saturation runs, in the nodes' order; empty if the three
     * were not measured. In closed loop each node answers as fast as it can on its share of the connections.
     */
    List<Double> shares() {
        long[] succeeded = new long[0];
        for (Measurement m : results.saturation()) {
            if (!m.target().equals(THREE)) {
                continue;
            }
            List<EndpointResult> endpoints = m.result().endpoints();
            if (succeeded.length < endpoints.size()) {
                succeeded = Arrays.copyOf(succeeded, endpoints.size());
            }
            for (int i = 0; i < endpoints.size(); i++) {
                succeeded[i] += endpoints.get(i).succeeded();
            }
        }
        long total = Arrays.stream(succeeded).sum();
        List<Double> shares = new ArrayList<>();
        for (long n : succeeded) {
            shares.add(total > 0 ? (double) n / total : Double.NaN);
        }
        return List.copyOf(shares);
    }

    /**
     * What stands between 3-nodes/1-node and a figure about a cluster of three, empty if nothing: a node left the
     * cluster, a node answered nothing in a saturation run, or a target checked no limit.
     */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!membersAfter.isEmpty() && !NodeCluster.formed(membersAfter)) {
            problems.add("after the rounds the nodes saw " + NodeCluster.describe(membersAfter) + " members"
                    + " (expected " + membersAfter.size() + " each): the cluster did not hold together");
        }
        for (Measurement m : results.saturation()) {
            if (!m.target().equals(THREE)) {
                continue;
            }
            for (EndpointResult e : m.result().endpoints()) {
                if (e.succeeded() == 0) {
                    problems.add("round " + m.round() + ": " + e.endpoint() + " answered nothing");
                }
            }
        }
        for (String target : results.options().targets()) {
            if (trips(target) == 0) {
                problems.add(target + " made no rate-limit grid operation: the limit was not checked");
            }
        }
        return problems;
    }

    /** What 3-nodes/1-node is under {@code pinning}, for the report. */
    static String meaning(CpuPinning pinning) {
        return switch (pinning.mode()) {
            case ONE_CPU -> "every node shares CPU " + pinning.loadCpu() + " with the generator and the backend, so"
                    + " three nodes cannot serve more than one: 3-nodes/1-node is what clustering costs on one core's"
                    + " budget (grid operations that cross to another member, counter backups, heartbeats, three JVMs),"
                    + " not how a cluster scales with a core per node";
            case SPLIT -> "the nodes share CPU " + pinning.proxyCpu() + " (the generator and the backend have CPU "
                    + pinning.loadCpu() + "), so three nodes get the one core one node had: 3-nodes/1-node is what"
                    + " clustering costs on that budget, not how a cluster scales with a core per node";
            case NONE -> "unpinned: the nodes and the load share the machine's cores as the scheduler decides, so the"
                    + " ratio mixes the cost of clustering with whatever spare cores the three could use";
        };
    }

    /** The table printed at the end of a run. */
    String table() {
        BenchmarkOptions o = results.options();
        CpuPinning pinning = CpuPinning.of(o);
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%nNodes benchmark: %d rounds per phase, interleaved %s; %d connections;"
                        + " %ss warm-up + %ss per run%npinning %s (every node)%n",
                o.rounds(), String.join(",", o.targets()), o.connections(), seconds(o.warmup()),
                seconds(o.duration()), pinning.describe()));
        for (String target : o.targets()) {
            t.append(String.format(Locale.ROOT, "  %-9s %s%n", target,
                    NodesScenario.describe(target, o.clusterLimit())));
        }

        t.append(String.format(Locale.ROOT, "%nThroughput, closed loop (median of %d)%n", o.rounds()));
        BenchmarkReport.rows(t, columns(pinning), results.summaries().values());
        if (!Double.isNaN(results.rate())) {
            BenchmarkReport.latencyTable(t, results, ONE);
        }

        t.append('\n');
        t.append(String.format(Locale.ROOT, "3-nodes/1-node = %s  (throughput, closed loop)%n", num(ratio(), "%.2f")));
        t.append("what it means: ").append(meaning(pinning)).append('\n');
        t.append(String.format(Locale.ROOT, "from measured CPU per request (load + nodes, process time): 3-nodes/1-node"
                        + " = %s  (others on the core do not move this: the cross-check for noisy runs)%n",
                num(CacheReport.cpuRatio(results, THREE, ONE), "%.2f")));
        if (!Double.isNaN(results.rate())) {
            t.append(String.format(Locale.ROOT, "added latency at %,.0f req/s (3 nodes over 1, open loop): p50 %s us,"
                            + " p99 %s us, p99.9 %s us%n", results.rate(),
                    signed(addedLatency(TargetSummary::p50Micros)), signed(addedLatency(TargetSummary::p99Micros)),
                    signed(addedLatency(TargetSummary::p999Micros))));
            String busy = BenchmarkReport.latencyBusy(results, pinning);
            if (!busy.isEmpty()) {
                t.append(busy).append(" (the same rate for both: above about 70%, queueing on the core is in the"
                        + " percentiles)\n");
            }
        }
        List<Double> shares = shares();
        if (!shares.isEmpty()) {
            t.append("3-nodes, each node's share of the 2xx responses over the saturation runs: ")
                    .append(String.join(" / ", shares.stream().map(BenchmarkReport::percent).toList()))
                    .append(" (closed loop: each answers as fast as it can on its share of the connections)\n");
        }
        if (!membersAfter.isEmpty()) {
            t.append("members each of the three saw after the rounds: ").append(NodeCluster.describe(membersAfter))
                    .append('\n');
        }
        t.append(String.format(Locale.ROOT, "grid round trips per request (the nodes' rate-limit grid operations, from"
                        + " their /metrics): 1-node %s, 3-nodes %s (expected %s in %s mode)%n",
                num(trips(ONE), "%.4f"), num(trips(THREE), "%.4f"),
                num(o.clusterLimit().expectedGridTripsPerRequest(), "%.4f"), o.limitMode().flag()));
        for (String problem : problems()) {
            t.append("NOT VERIFIED: ").append(problem).append('\n');
        }
        ReportNotes.idleAndNoisy(t, results, pinning, "the nodes waited rather than worked, so their throughput"
                + " understates what the core could do", "the ratio is less certain, see the noisy column, the CPU"
                + " cross-check and the JSON");
        t.append(legend(pinning));
        ReportNotes.flagged(t, results);
        return t.toString();
    }

    private List<Column> columns(CpuPinning pinning) {
        double one = rps(ONE);
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("nodes", "%-9s", TargetSummary::target));
        columns.add(new Column("req/s", " %10s", s -> num(s.requestsPerSecond(), "%,.0f")));
        columns.add(new Column("/1-node", " %7s", s -> num(s.requestsPerSecond() / one, "%.2f")));
        if (pinning.mode() == CpuPinning.Mode.ONE_CPU) {
            columns.add(new Column("1/X-1/1 us", " %10s", s -> s.target().equals(ONE) ? "-"
                    : num(CostRatio.addedMicrosPerRequest(one, s.requestsPerSecond()), "%.2f")));
        }
        columns.add(new Column("nodes CPU us/req", " %16s", s -> num(s.proxyCpuMicrosPerRequest(), "%.1f")));
        columns.add(new Column("load CPU us/req", " %15s", s -> num(s.loadCpuMicrosPerRequest(), "%.1f")));
        columns.add(new Column("grid trips/req", " %14s", s -> num(s.gridRoundTripsPerRequest(), "%.4f")));
        columns.addAll(BenchmarkReport.coreColumns(pinning));
        columns.add(new Column("flagged", " %8s", s -> s.flaggedRounds() + "/" + s.rounds()));
        columns.add(new Column("noisy", " %6s", s -> s.noisyRounds() + "/" + s.rounds()));
        return columns;
    }

    private static String legend(CpuPinning pinning) {
        return "legend: /1-node = throughput over the lone node's; 1/X-1/1 = time clustering adds per request, from"
                + " throughput (its CPU cost, on one CPU); nodes CPU = the nodes' process time together / responses;"
                + " load CPU = generator+backend JVM time / responses (the idle target's nodes are in neither: they"
                + " count as the benchmark's own, not as other); grid trips = the nodes' rate-limit grid operations,"
                + " local or remote / responses; "
                + ReportNotes.legendTail(pinning);
    }

    String json() {
        BenchmarkOptions o = results.options();
        List<String> problems = problems();
        JsonWriter w = new JsonWriter().beginObject();
        BenchmarkReport.options(w, o);
        w.name("environment").beginObject();
        results.environment().forEach((k, v) -> w.name(k).value(v));
        w.endObject();
        w.name("targets").beginObject();
        o.targets().forEach(target -> w.name(target).value(NodesScenario.describe(target, o.clusterLimit())));
        w.endObject();
        w.name("meaning").value(meaning(CpuPinning.of(o)));
        w.name("latencyRate").value(results.rate());
        w.name("summary").beginObject();
        results.summaries().values().forEach(s -> BenchmarkReport.summary(w, s));
        w.endObject();
        w.name("ratios").beginObject()
                .name("threeNodesOverOneNode").value(ratio())
                .name("threeNodesOverOneNodeFromCpu").value(CacheReport.cpuRatio(results, THREE, ONE))
                .name("addedMicrosPerRequest").value(CostRatio.addedMicrosPerRequest(rps(ONE), rps(THREE)))
                .name("addedMicrosIsCpuCost").value(o.pinning() == CpuPinning.Mode.ONE_CPU)
                .name("addedP50Micros").value(addedLatency(TargetSummary::p50Micros))
                .name("addedP99Micros").value(addedLatency(TargetSummary::p99Micros))
                .name("addedP999Micros").value(addedLatency(TargetSummary::p999Micros))
                .endObject();
        w.name("threeNodesShares").beginArray();
        shares().forEach(w::value);
        w.endArray();
        w.name("membersAfterRounds").beginArray();
        membersAfter.forEach(m -> w.value(m.isPresent() ? m.getAsLong() : -1));
        w.endArray();
        w.name("gridRoundTripsPerRequest").beginObject()
                .name("source").value("the nodes' rate-limit grid operations (gridgate_grid_operation_duration_seconds"
                        + " count, rate_limit.*) from their /metrics, over warm-up and window")
                .name(ONE).value(trips(ONE))
                .name(THREE).value(trips(THREE))
                .name("expected").value(o.clusterLimit().expectedGridTripsPerRequest())
                .endObject();
        w.name("verified").value(problems.isEmpty());
        w.name("problems").beginArray();
        problems.forEach(w::value);
        w.endArray();
        w.name("flagged").value(!results.flagged().isEmpty());
        w.name("saturationRuns").beginArray();
        results.saturation().forEach(m -> BenchmarkReport.run(w, m));
        w.endArray();
        w.name("latencyRuns").beginArray();
        results.latency().forEach(m -> BenchmarkReport.run(w, m));
        w.endArray();
        return w.endObject().toString();
    }

    private double ratio() {
        return results.throughputRatio(THREE, ONE);
    }

    private double addedLatency(ToDoubleFunction<TargetSummary> percentile) {
        return BenchmarkReport.addedLatency(results, THREE, ONE, percentile);
    }

    private double trips(String target) {
        return results.summary(target).map(TargetSummary::gridRoundTripsPerRequest).orElse(Double.NaN);
    }

    private double rps(String target) {
        return results.summary(target).map(TargetSummary::requestsPerSecond).orElse(Double.NaN);
    }
}
