package io.gridgate.loadtest;

import static io.gridgate.loadtest.BenchmarkReport.num;
import static io.gridgate.loadtest.BenchmarkReport.seconds;
import static io.gridgate.loadtest.BenchmarkReport.signed;
import static io.gridgate.loadtest.PluginsScenario.PLAIN;
import static io.gridgate.loadtest.PluginsScenario.PLUGINS;

import io.gridgate.loadtest.BenchmarkReport.Column;
import io.gridgate.loadtest.ObservabilityReport.Tally;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

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
        if (trips(results, PLUGINS) == 0) {
            problems.add("the plugins node made no rate-limit grid operation: its limit was not checked");
        }
        if (trips(results, PLAIN) > 0) {
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
        t.append(String.format(Locale.ROOT, "%nPlugins benchmark: %d rounds per phase, interleaved %s; %d"
                        + " connections; %ss warm-up + %ss per run%npinning %s%n",
                o.rounds(), String.join(",", o.targets()), o.connections(), seconds(o.warmup()),
                seconds(o.duration()), pinning.describe()));
        t.append("two Gridgate nodes, same jar, flags, CPU and catch-all route to the same backend:\n");
        for (String target : o.targets()) {
            t.append(String.format(Locale.ROOT, "  %-9s %s%n", target,
                    PluginsScenario.describe(target, o.clusterLimit())));
        }
        String checks = results.environment().get(CHECKS);
        if (checks != null) {
            t.append("checked before the rounds: ").append(checks).append('\n');
        }

        t.append(String.format(Locale.ROOT, "%nThroughput, closed loop (median of %d)%n", o.rounds()));
        BenchmarkReport.rows(t, columns(results, pinning, tallies), results.summaries().values());
        if (!Double.isNaN(results.rate())) {
            BenchmarkReport.latencyTable(t, results, PLAIN);
        }

        t.append('\n');
        t.append(String.format(Locale.ROOT, "plugins/plain = %s  (throughput, closed loop: JWT auth, the cluster rate"
                + " limit and tracing at 100 %% together)%n", num(ratio(results), "%.2f")));
        t.append(String.format(Locale.ROOT, "from measured CPU per request (load + node, process time): plugins/plain"
                        + " = %s  (others on the core do not move this: the cross-check for noisy runs)%n",
                num(CacheReport.cpuRatio(results, PLUGINS, PLAIN), "%.2f")));
        if (!Double.isNaN(results.rate())) {
            t.append(String.format(Locale.ROOT, "added latency at %,.0f req/s (plugins over plain, open loop): p50 %s"
                            + " us, p99 %s us, p99.9 %s us%n", results.rate(),
                    signed(addedLatency(results, TargetSummary::p50Micros)),
                    signed(addedLatency(results, TargetSummary::p99Micros)),
                    signed(addedLatency(results, TargetSummary::p999Micros))));
            String busy = BenchmarkReport.latencyBusy(results, pinning);
            if (!busy.isEmpty()) {
                t.append(busy).append(" (the same rate for both: above about 70%, queueing on the core is in the"
                        + " percentiles)\n");
            }
        }
        spanLine(t, tallies.get(PLUGINS));
        t.append(String.format(Locale.ROOT, "grid round trips per request (the node's rate-limit grid operations, from"
                        + " its /metrics): plugins %s (expected %s in %s mode), plain %s%n",
                num(trips(results, PLUGINS), "%.4f"), num(o.clusterLimit().expectedGridTripsPerRequest(), "%.4f"),
                o.limitMode().flag(), num(trips(results, PLAIN), "%.4f")));
        for (String problem : problems(results)) {
            t.append("NOT VERIFIED: ").append(problem).append('\n');
        }
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
        double plain = rps(results, PLAIN);
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("node", "%-9s", TargetSummary::target));
        columns.add(new Column("req/s", " %10s", s -> num(s.requestsPerSecond(), "%,.0f")));
        columns.add(new Column("/plain", " %6s", s -> num(s.requestsPerSecond() / plain, "%.2f")));
        if (pinning.mode() == CpuPinning.Mode.ONE_CPU) {
            columns.add(new Column("1/X-1/P us", " %10s", s -> s.target().equals(PLAIN) ? "-"
                    : num(CostRatio.addedMicrosPerRequest(plain, s.requestsPerSecond()), "%.2f")));
        }
        columns.add(new Column("node CPU us/req", " %15s", s -> num(s.proxyCpuMicrosPerRequest(), "%.1f")));
        columns.add(new Column("load CPU us/req", " %15s", s -> num(s.loadCpuMicrosPerRequest(), "%.1f")));
        columns.add(new Column("sink us/req", " %11s", s -> num(tally(tallies, s).sinkCpuMicrosPerResponse(),
                "%.2f")));
        columns.add(new Column("spans/resp", " %10s", s -> num(tally(tallies, s).spansPerResponse(), "%.3f")));
        columns.add(new Column("grid trips/req", " %14s", s -> num(s.gridRoundTripsPerRequest(), "%.4f")));
        columns.addAll(BenchmarkReport.coreColumns(pinning));
        columns.add(new Column("flagged", " %8s", s -> s.flaggedRounds() + "/" + s.rounds()));
        columns.add(new Column("noisy", " %6s", s -> s.noisyRounds() + "/" + s.rounds()));
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
        List<String> problems = problems(results);
        JsonWriter w = new JsonWriter().beginObject();
        BenchmarkReport.options(w, o);
        w.name("environment").beginObject();
        results.environment().forEach((k, v) -> w.name(k).value(v));
        w.endObject();
        w.name("targets").beginObject();
        o.targets().forEach(target -> w.name(target).value(PluginsScenario.describe(target, o.clusterLimit())));
        w.endObject();
        w.name("latencyRate").value(results.rate());
        w.name("summary").beginObject();
        results.summaries().values().forEach(s -> BenchmarkReport.summary(w, s));
        w.endObject();
        w.name("ratios").beginObject()
                .name("pluginsOverPlain").value(ratio(results))
                .name("pluginsOverPlainFromCpu").value(CacheReport.cpuRatio(results, PLUGINS, PLAIN))
                .name("addedMicrosPerRequest").value(CostRatio.addedMicrosPerRequest(rps(results, PLAIN),
                        rps(results, PLUGINS)))
                .name("addedMicrosIsCpuCost").value(o.pinning() == CpuPinning.Mode.ONE_CPU)
                .name("addedP50Micros").value(addedLatency(results, TargetSummary::p50Micros))
                .name("addedP99Micros").value(addedLatency(results, TargetSummary::p99Micros))
                .name("addedP999Micros").value(addedLatency(results, TargetSummary::p999Micros))
                .endObject();
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
                .name(PLAIN).value(trips(results, PLAIN))
                .name(PLUGINS).value(trips(results, PLUGINS))
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

    private static Tally tally(Map<String, Tally> tallies, TargetSummary s) {
        return tallies.getOrDefault(s.target(), Tally.of(List.of()));
    }

    private static double ratio(BenchmarkResults results) {
        return results.throughputRatio(PLUGINS, PLAIN);
    }

    /** What the plugins node's latency percentile adds over the plain node's, in microseconds; NaN if unmeasured. */
    private static double addedLatency(BenchmarkResults results, ToDoubleFunction<TargetSummary> percentile) {
        return BenchmarkReport.addedLatency(results, PLUGINS, PLAIN, percentile);
    }

    private static double trips(BenchmarkResults results, String target) {
        return results.summary(target).map(TargetSummary::gridRoundTripsPerRequest).orElse(Double.NaN);
    }

    private static double rps(BenchmarkResults results, String target) {
        return results.summary(target).map(TargetSummary::requestsPerSecond).orElse(Double.NaN);
    }
}
