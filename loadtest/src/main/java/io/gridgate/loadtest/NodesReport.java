package io.gridgate.loadtest;

import static io.gridgate.loadtest.BenchmarkReport.num;
import static io.gridgate.loadtest.NodesScenario.ONE;
import static io.gridgate.loadtest.NodesScenario.THREE;

import io.gridgate.loadtest.BenchmarkReport.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

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
            if (results.gridTrips(target) == 0) {
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
        ReportParts.header(t, "Nodes benchmark", "rounds per phase", o, pinning.describe() + " (every node)");
        ReportParts.targets(t, o.targets(), target -> NodesScenario.describe(target, o.clusterLimit()));
        ReportParts.throughput(t, results, columns(pinning));
        if (!Double.isNaN(results.rate())) {
            BenchmarkReport.latencyTable(t, results, ONE);
        }

        t.append('\n');
        t.append(String.format(Locale.ROOT, "3-nodes/1-node = %s  (throughput, closed loop)%n", num(ratio(), "%.2f")));
        t.append("what it means: ").append(meaning(pinning)).append('\n');
        ReportParts.cpuCrossCheck(t, results, "nodes", THREE, ONE);
        ReportParts.addedLatency(t, results, pinning, THREE, ONE, "3 nodes over 1");
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
                num(results.gridTrips(ONE), "%.4f"), num(results.gridTrips(THREE), "%.4f"),
                num(o.clusterLimit().expectedGridTripsPerRequest(), "%.4f"), o.limitMode().flag()));
        ReportParts.notVerified(t, problems());
        ReportNotes.idleAndNoisy(t, results, pinning, "the nodes waited rather than worked, so their throughput"
                + " understates what the core could do", "the ratio is less certain, see the noisy column, the CPU"
                + " cross-check and the JSON");
        t.append(legend(pinning));
        ReportNotes.flagged(t, results);
        return t.toString();
    }

    private List<Column> columns(CpuPinning pinning) {
        double one = results.rps(ONE);
        List<Column> columns = new ArrayList<>(ReportParts.leadingColumns("nodes", "%-9s"));
        columns.add(ReportParts.relativeColumn("/1-node", " %7s", one));
        columns.addAll(ReportParts.addedColumn(pinning, "1/X-1/1 us", ONE, one, "%.2f"));
        columns.addAll(ReportParts.cpuColumns("nodes CPU us/req", " %16s"));
        columns.add(ReportParts.gridTripsColumn());
        columns.addAll(ReportParts.closingColumns(pinning));
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
        JsonWriter w = ReportParts.beginJson(results);
        ReportParts.targets(w, o.targets(), target -> NodesScenario.describe(target, o.clusterLimit()));
        w.name("meaning").value(meaning(CpuPinning.of(o)));
        w.name("latencyRate").value(results.rate());
        ReportParts.summaries(w, results);
        w.name("ratios").beginObject()
                .name("threeNodesOverOneNode").value(ratio())
                .name("threeNodesOverOneNodeFromCpu").value(CacheReport.cpuRatio(results, THREE, ONE))
                .name("addedMicrosPerRequest").value(CostRatio.addedMicrosPerRequest(results.rps(ONE),
                        results.rps(THREE)))
                .name("addedMicrosIsCpuCost").value(o.pinning() == CpuPinning.Mode.ONE_CPU);
        ReportParts.addedLatencies(w, results, THREE, ONE).endObject();
        w.name("threeNodesShares").beginArray();
        shares().forEach(w::value);
        w.endArray();
        w.name("membersAfterRounds").beginArray();
        membersAfter.forEach(m -> w.value(m.isPresent() ? m.getAsLong() : -1));
        w.endArray();
        w.name("gridRoundTripsPerRequest").beginObject()
                .name("source").value("the nodes' rate-limit grid operations (gridgate_grid_operation_duration_seconds"
                        + " count, rate_limit.*) from their /metrics, over warm-up and window")
                .name(ONE).value(results.gridTrips(ONE))
                .name(THREE).value(results.gridTrips(THREE))
                .name("expected").value(o.clusterLimit().expectedGridTripsPerRequest())
                .endObject();
        ReportParts.verified(w, problems());
        ReportParts.runs(w, results);
        return w.endObject().toString();
    }

    private double ratio() {
        return results.throughputRatio(THREE, ONE);
    }
}
