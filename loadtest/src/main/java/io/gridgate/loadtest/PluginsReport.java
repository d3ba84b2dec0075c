package io.gridgate.loadtest;

import static io.gridgate.loadtest.BenchmarkReport.num;
import static io.gridgate.loadtest.PluginsScenario.PLAIN;
import static io.gridgate.loadtest.PluginsScenario.PLUGINS;

import io.gridgate.loadtest.BenchmarkReport.Column;
import io.gridgate.loadtest.ObservabilityReport.Tally;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a run of the plugins scenario ({@link PluginsScenario}): throughput of the plain and the plugins node,
 * plugins/plain, CPU per request, latency at a moderate fixed rate and what the plugins add to it, and the evidence
 * that the plugins were at work (spans the sink received, rate-limit grid operations the node made), as the console
 * table and as JSON.
 */
final class PluginsReport {

    /** The environment entry with the checks made before the rounds, which the table repeats. */
    static final String CHECKS = "checkedBeforeRounds";

    private PluginsReport() {
    }

    /**
     * What stands between plugins/plain and a figure about the plugins, empty if nothing: the plugins node exported no
     * span in some run or checked no limit, or the plain node did either.
     */
    static List<String> problems(BenchmarkResults results) {
        Map<String, Tally> tallies = ObservabilityReport.tallies(results);
        Tally plugins = tallies.get(PLUGINS);
        Tally plain = tallies.get(PLAIN);
        List<String> problems = new ArrayList<>();
        if (plugins == null || plugins.responses() == 0) {
            problems.add("the plugins node was not measured");
            return problems;
        }
        if (plugins.spans() == 0) {
            problems.add("the plugins node exported NOTHING: the sink received no span in any of its runs (is"
                    + " tracing on in this build? see its log)");
        } else if (plugins.runsWithoutSpans() > 0) {
            problems.add(plugins.runsWithoutSpans() + " of the plugins node's runs exported no span");
        }
        if (plain != null && plain.spans() > 0) {
            problems.add(String.format(Locale.ROOT, "the sink received %,.0f spans during the plain node's runs: it"
                    + " is not a baseline without tracing", plain.spans()));
        }
        if (results.gridTrips(PLUGINS) == 0) {
            problems.add("the plugins node made no rate-limit grid operation: its limit was not checked");
        }
        if (results.gridTrips(PLAIN) > 0) {
            problems.add("the plain node made rate-limit grid operations: it is not a baseline without a limit");
        }
        return problems;
    }

    /** The table printed at the end of a run. */
    static String table(BenchmarkResults results) {
        BenchmarkOptions o = results.options();
        CpuPinning pinning = CpuPinning.of(o);
        Map<String, Tally> tallies = ObservabilityReport.tallies(results);
        StringBuilder t = new StringBuilder();
        ReportParts.header(t, "Plugins benchmark", "rounds per phase", o, pinning.describe());
        t.append("two Gridgate nodes, same jar, flags, CPU and catch-all route to the same backend:\n");
        ReportParts.targets(t, o.targets(), target -> PluginsScenario.describe(target, o.clusterLimit()));
        String checks = results.environment().get(CHECKS);
        if (checks != null) {
            t.append("checked before the rounds: ").append(checks).append('\n');
        }

        ReportParts.throughput(t, results, columns(results, pinning, tallies));
        if (!Double.isNaN(results.rate())) {
            BenchmarkReport.latencyTable(t, results, PLAIN);
        }

        t.append('\n');
        t.append(String.format(Locale.ROOT, "plugins/plain = %s  (throughput, closed loop: JWT auth, the cluster rate"
                + " limit and tracing at 100 %% together)%n", num(ratio(results), "%.2f")));
        ReportParts.cpuCrossCheck(t, results, "node", PLUGINS, PLAIN);
        ReportParts.addedLatency(t, results, pinning, PLUGINS, PLAIN, "plugins over plain");
        spanLine(t, tallies.get(PLUGINS));
        t.append(String.format(Locale.ROOT, "grid round trips per request (the node's rate-limit grid operations, from"
                        + " its /metrics): plugins %s (expected %s in %s mode), plain %s%n",
                num(results.gridTrips(PLUGINS), "%.4f"), num(o.clusterLimit().expectedGridTripsPerRequest(), "%.4f"),
                o.limitMode().flag(), num(results.gridTrips(PLAIN), "%.4f")));
        ReportParts.notVerified(t, problems(results));
        ReportNotes.idleAndNoisy(t, results, pinning, "the node waited rather than worked, so its throughput"
                + " understates what the core could do", "the ratio is less certain, see the noisy column, the CPU"
                + " cross-check and the JSON");
        t.append(legend(pinning));
        ReportNotes.flagged(t, results);
        return t.toString();
    }

    private static void spanLine(StringBuilder t, Tally plugins) {
        if (plugins == null) {
            return;
        }
        t.append(String.format(Locale.ROOT, "sink, over the plugins node's saturation runs (warm-up included, each"
                        + " run's last batch waited for): %,.0f spans for %,d responses: %s spans per response"
                        + " (expected %.0f: server + upstream span)%n",
                plugins.spans(), plugins.responses(), num(plugins.spansPerResponse(), "%.3f"),
                ObservabilityScenario.EXPECTED_SPANS_PER_RESPONSE));
        double spans = plugins.spansPerResponse();
        if (plugins.spans() > 0 && spans < ObservabilityScenario.EXPECTED_SPANS_PER_RESPONSE * 0.995) {
            t.append(String.format(Locale.ROOT, "note: %s spans per response, fewer than %.0f: the node dropped spans"
                    + " before export (queue of %d full?), so it did less tracing work than 100%% sampling asks%n",
                    num(spans, "%.3f"), ObservabilityScenario.EXPECTED_SPANS_PER_RESPONSE,
                    ObservabilityScenario.MAX_QUEUE_SIZE));
        }
    }

    private static List<Column> columns(BenchmarkResults results, CpuPinning pinning, Map<String, Tally> tallies) {
        double plain = results.rps(PLAIN);
        List<Column> columns = new ArrayList<>(ReportParts.leadingColumns("node", "%-9s"));
        columns.add(ReportParts.relativeColumn("/plain", " %6s", plain));
        columns.addAll(ReportParts.addedColumn(pinning, "1/X-1/P us", PLAIN, plain, "%.2f"));
        columns.addAll(ReportParts.cpuColumns("node CPU us/req", " %15s"));
        columns.addAll(ObservabilityReport.sinkColumns(tallies));
        columns.add(ReportParts.gridTripsColumn());
        columns.addAll(ReportParts.closingColumns(pinning));
        return columns;
    }

    private static String legend(CpuPinning pinning) {
        return "legend: /plain = throughput over the plain node's; 1/X-1/P = time the plugins add per request, from"
                + " throughput (their CPU cost, on one CPU); node CPU = node process time / responses; load CPU ="
                + " generator+backend+sink JVM time / responses; sink = the OTLP sink's handler CPU / responses (part"
                + " of load CPU: a collector elsewhere would not be); spans = received by the sink over the target's"
                + " saturation runs / its responses; grid trips = the node's rate-limit grid operations / responses; "
                + ReportNotes.legendTail(pinning);
    }

    static String json(BenchmarkResults results) {
        BenchmarkOptions o = results.options();
        Map<String, Tally> tallies = ObservabilityReport.tallies(results);
        JsonWriter w = ReportParts.beginJson(results);
        ReportParts.targets(w, o.targets(), target -> PluginsScenario.describe(target, o.clusterLimit()));
        w.name("latencyRate").value(results.rate());
        ReportParts.summaries(w, results);
        w.name("ratios").beginObject()
                .name("pluginsOverPlain").value(ratio(results))
                .name("pluginsOverPlainFromCpu").value(CacheReport.cpuRatio(results, PLUGINS, PLAIN))
                .name("addedMicrosPerRequest").value(CostRatio.addedMicrosPerRequest(results.rps(PLAIN),
                        results.rps(PLUGINS)))
                .name("addedMicrosIsCpuCost").value(o.pinning() == CpuPinning.Mode.ONE_CPU);
        ReportParts.addedLatencies(w, results, PLUGINS, PLAIN).endObject();
        w.name("telemetry").beginObject();
        tallies.forEach((target, tally) -> w.name(target).beginObject()
                .name("responses").value(tally.responses())
                .name("exports").value(tally.exports())
                .name("spans").value(tally.spans())
                .name("spansPerResponse").value(tally.spansPerResponse())
                .name("sinkCpuMicrosPerResponse").value(tally.sinkCpuMicrosPerResponse())
                .endObject());
        w.endObject();
        w.name("gridRoundTripsPerRequest").beginObject()
                .name("source").value("the node's rate-limit grid operations (gridgate_grid_operation_duration_seconds"
                        + " count, rate_limit.*) from its /metrics, over warm-up and window")
                .name(PLAIN).value(results.gridTrips(PLAIN))
                .name(PLUGINS).value(results.gridTrips(PLUGINS))
                .name("expected").value(o.clusterLimit().expectedGridTripsPerRequest())
                .endObject();
        ReportParts.verified(w, problems(results));
        ReportParts.runs(w, results);
        return w.endObject().toString();
    }

    private static double ratio(BenchmarkResults results) {
        return results.throughputRatio(PLUGINS, PLAIN);
    }
}
