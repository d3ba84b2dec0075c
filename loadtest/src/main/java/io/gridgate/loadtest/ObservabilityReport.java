package io.gridgate.loadtest;

import static io.gridgate.loadtest.BenchmarkReport.num;

import io.gridgate.loadtest.BenchmarkReport.Column;
import io.gridgate.loadtest.ObservabilityScenario.AccessLog;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a run of the observability scenario ({@link ObservabilityScenario}): throughput of the plain and the
 * observed node, observed/plain against its target, CPU per request, and what the OTLP sink received and the access
 * log gained, which decide whether the observed figure is one of tracing at all, as the console table and as JSON.
 */
final class ObservabilityReport {

    /** What observed/plain throughput should reach (issue 8). */
    static final double TARGET = 0.9;
    /**
     * How many standard deviations of sampling noise spans per response may fall short of the expected before the
     * report calls it drops: one-sided, a false alarm about once in 30,000 runs.
     */
    static final double NOISE_DEVIATIONS = 4;
    /** The relative shortfall the check at 100 % has always let pass; kept, so that a run at 100 % reads as before. */
    static final double EDGE_SLACK = 0.005;

    private ObservabilityReport() {
    }

    /**
     * Totals of one target's measured runs (warm-up included, as for CPU per request).
     *
     * @param runsWithoutSpans runs in which the sink received no span
     * @param runsWithoutLogLines runs in which the access log gained no line
     * @param runs the runs totalled
     */
    record Tally(long responses, double exports, double spans, double bytes, double sinkCpuNanos, double logLines,
            int runsWithoutSpans, int runsWithoutLogLines, int runs) {

        static Tally of(List<Measurement> runs) {
            long responses = 0;
            double exports = 0;
            double spans = 0;
            double bytes = 0;
            double cpu = 0;
            double lines = 0;
            int noSpans = 0;
            int noLines = 0;
            for (Measurement m : runs) {
                Telemetry t = m.telemetry();
                responses += m.result().completed();
                exports += t.exports();
                spans += t.spans();
                bytes += t.bytes();
                cpu += t.sinkCpuNanos();
                lines += t.logLines();
                noSpans += t.spans() > 0 ? 0 : 1;
                noLines += t.logLines() > 0 ? 0 : 1;
            }
            return new Tally(responses, exports, spans, bytes, cpu, lines, noSpans, noLines, runs.size());
        }

        double spansPerResponse() {
            return spans / responses;
        }

        double bytesPerResponse() {
            return bytes / responses;
        }

        double sinkCpuMicrosPerResponse() {
            return sinkCpuNanos / 1000.0 / responses;
        }

        double logLinesPerResponse() {
            return logLines / responses;
        }
    }

    /** Per target, its measured runs' totals. */
    static Map<String, Tally> tallies(BenchmarkResults results) {
        Map<String, Tally> tallies = new LinkedHashMap<>();
        for (String target : results.options().targets()) {
            tallies.put(target, Tally.of(results.saturation().stream().filter(m -> m.target().equals(target))
                    .toList()));
        }
        return tallies;
    }

    /**
     * The fewest spans per response over {@code responses} that do not show dropped spans, at {@code samplerRatio}.
     * Each request is sampled on its own, by its random trace id against the ratio, and a sampled one exports both of
     * its spans, so the spans are 2 x Binomial(responses, R): per response their mean is 2R and their standard
     * deviation 2 sqrt(R (1 - R) / responses), 0 at 100 % and about 0.002 at 10 % over 100,000 responses. Less than
     * {@link #NOISE_DEVIATIONS} of those (and the {@link #EDGE_SLACK}) below 2R is sampling; beyond it, the node
     * dropped spans.
     */
    static double fewestSpansPerResponse(double samplerRatio, long responses) {
        double expected = ObservabilityScenario.expectedSpansPerResponse(samplerRatio);
        double deviation = ObservabilityScenario.EXPECTED_SPANS_PER_RESPONSE
                * Math.sqrt(samplerRatio * (1 - samplerRatio) / responses);
        return expected * (1 - EDGE_SLACK) - NOISE_DEVIATIONS * deviation;
    }

    /**
     * What stands between observed/plain and a verdict, empty if nothing: the observed node exported nothing in some
     * run, the plain node exported anything, or the observed node's access log (when on) stayed empty in some run.
     * Below 100 % a run without a span is as telling: n responses include none sampled with probability (1 - R)^n,
     * about e^-nR, nil for the thousands of sampled requests a run at 10 % has; the message says how many a run
     * expected, for a ratio or a run so small that nR is not large.
     */
    static List<String> problems(BenchmarkResults results) {
        double samplerRatio = results.options().samplerRatio();
        Map<String, Tally> tallies = tallies(results);
        Tally observed = tallies.get(ObservabilityScenario.OBSERVED);
        Tally plain = tallies.get(ObservabilityScenario.PLAIN);
        List<String> problems = new ArrayList<>();
        if (observed == null || observed.responses() == 0) {
            problems.add("the observed node was not measured");
            return problems;
        }
        String sampled = samplerRatio == ObservabilityScenario.ALWAYS_ON ? "" : String.format(Locale.ROOT,
                " (at %s sampling, about %,.0f sampled requests were expected per run)",
                ObservabilityScenario.percentTraced(samplerRatio),
                observed.responses() * samplerRatio / observed.runs());
        if (observed.spans() == 0) {
            problems.add("the observed node exported NOTHING: the sink received no span in any of its runs (is"
                    + " tracing on in this build? see its log)" + sampled);
        } else if (observed.runsWithoutSpans() > 0) {
            problems.add(observed.runsWithoutSpans() + " of the observed node's runs exported no span" + sampled);
        }
        if (plain != null && plain.spans() > 0) {
            problems.add(String.format(Locale.ROOT, "the sink received %,.0f spans during the plain node's runs: it"
                    + " is not a baseline without tracing", plain.spans()));
        }
        if (results.options().accessLog() != AccessLog.OFF && observed.runsWithoutLogLines() > 0) {
            problems.add(observed.runsWithoutLogLines() + " of the observed node's runs wrote no access-log line");
        }
        return problems;
    }

    /** How observed/plain compares with the target; no verdict when the observed node is not verifiably observed. */
    static String verdict(double observedOverPlain, boolean verified) {
        if (!Double.isFinite(observedOverPlain)) {
            return "not measured";
        }
        if (!verified) {
            return "NO VERDICT: the observed node is not verifiably tracing, see below";
        }
        return observedOverPlain >= TARGET ? "meets the target" : "BELOW THE TARGET";
    }

    /** The sampling the verdict is for, next to it, so that a run below 100 % is not taken for the figure. */
    static String sampling(double samplerRatio) {
        return "tracing " + ObservabilityScenario.percentTraced(samplerRatio) + " of requests"
                + (samplerRatio == ObservabilityScenario.ALWAYS_ON ? "" : ", not the issue's 100 %");
    }

    /** The table printed at the end of a run. */
    static String table(BenchmarkResults results) {
        BenchmarkOptions o = results.options();
        CpuPinning pinning = CpuPinning.of(o);
        Map<String, Tally> tallies = tallies(results);
        StringBuilder t = new StringBuilder();
        ReportParts.header(t, "Observability benchmark", "rounds", o, pinning.describe());
        t.append("two Gridgate nodes, same jar, flags, CPU and catch-all route to the same backend:\n");
        ReportParts.targets(t, o.targets(), target -> ObservabilityScenario.describe(target, o.accessLog(),
                o.samplerRatio()));
        ReportParts.throughput(t, results, columns(results, pinning, tallies));

        t.append('\n');
        List<String> problems = problems(results);
        double ratio = ratio(results);
        t.append(String.format(Locale.ROOT, "observed/plain = %s  (target >= %.2f, %s): %s%n", num(ratio, "%.2f"),
                TARGET, sampling(o.samplerRatio()), verdict(ratio, problems.isEmpty())));
        ReportParts.cpuCrossCheck(t, results, "node", ObservabilityScenario.OBSERVED, ObservabilityScenario.PLAIN);
        exportLines(t, o, tallies.get(ObservabilityScenario.OBSERVED));
        ReportParts.notVerified(t, problems);
        if (o.accessLog() == AccessLog.OFF) {
            t.append("note: --access-log off: tracing only; the issue's figure has the access log on as well\n");
        }
        if (o.samplerRatio() != ObservabilityScenario.ALWAYS_ON) {
            t.append(String.format(Locale.ROOT, "note: --sampler-ratio %s: %s of requests traced, what tracing costs at"
                    + " that sampling rate; the issue's target is for 100 %% (the default)%n",
                    ObservabilityScenario.ratio(o.samplerRatio()), ObservabilityScenario.percentTraced(
                            o.samplerRatio())));
        }
        notes(t, results, pinning);
        t.append(legend(pinning));
        ReportNotes.flagged(t, results);
        return t.toString();
    }

    private static void exportLines(StringBuilder t, BenchmarkOptions o, Tally observed) {
        if (observed == null) {
            return;
        }
        double ratio = o.samplerRatio();
        boolean always = ratio == ObservabilityScenario.ALWAYS_ON;
        String expected = ObservabilityScenario.ratio(ObservabilityScenario.expectedSpansPerResponse(ratio));
        t.append(String.format(Locale.ROOT, "sink, over the observed node's measured runs (warm-up included, each"
                        + " run's last batch waited for): %,.0f spans in %,.0f OTLP/HTTP exports, %,.0f bytes, for"
                        + " %,d responses: %s spans per response (expected %s: server + upstream span%s), %s bytes"
                        + " per response, %s spans per export%n",
                observed.spans(), observed.exports(), observed.bytes(), observed.responses(),
                num(observed.spansPerResponse(), "%.3f"), expected, always ? ""
                        : " of the " + ObservabilityScenario.percentTraced(ratio) + " of requests sampled",
                num(observed.bytesPerResponse(), "%.0f"), num(observed.spans() / observed.exports(), "%.0f")));
        double spans = observed.spansPerResponse();
        double fewest = fewestSpansPerResponse(ratio, observed.responses());
        if (observed.spans() > 0 && spans < fewest) {
            t.append(String.format(Locale.ROOT, "note: %s spans per response, fewer than %s%s: the node dropped spans"
                    + " before export (queue of %d full?), so it did less tracing work than %s sampling asks%n",
                    num(spans, "%.3f"), expected, always ? "" : String.format(Locale.ROOT,
                            " by more than sampling noise (%.3f at the least over these responses)", fewest),
                    ObservabilityScenario.MAX_QUEUE_SIZE, ObservabilityScenario.percentTraced(ratio)));
        }
        if (o.accessLog() != AccessLog.OFF) {
            t.append(String.format(Locale.ROOT, "access log (%s): %,.0f lines for %,d responses: %s lines per"
                            + " response (expected 1%s)%n", o.accessLog().flag(), observed.logLines(),
                    observed.responses(), num(observed.logLinesPerResponse(), "%.3f"),
                    o.accessLog() == AccessLog.STDOUT ? ", plus the node's own log lines" : ""));
        }
    }

    private static List<Column> columns(BenchmarkResults results, CpuPinning pinning, Map<String, Tally> tallies) {
        double plain = results.rps(ObservabilityScenario.PLAIN);
        List<Column> columns = new ArrayList<>(ReportParts.leadingColumns("node", "%-9s"));
        columns.add(ReportParts.relativeColumn("/plain", " %6s", plain));
        columns.addAll(ReportParts.addedColumn(pinning, "1/X-1/P us", ObservabilityScenario.PLAIN, plain, "%.2f"));
        columns.addAll(ReportParts.cpuColumns("node CPU us/req", " %15s"));
        columns.addAll(sinkColumns(tallies));
        columns.add(new Column("log lines/resp", " %14s", s -> num(tally(tallies, s).logLinesPerResponse(),
                "%.3f")));
        columns.addAll(ReportParts.closingColumns(pinning));
        return columns;
    }

    /** What the OTLP sink's handler cost and what it received, per response, for a node that traces. */
    static List<Column> sinkColumns(Map<String, Tally> tallies) {
        return List.of(new Column("sink us/req", " %11s", s -> num(tally(tallies, s).sinkCpuMicrosPerResponse(),
                        "%.2f")),
                new Column("spans/resp", " %10s", s -> num(tally(tallies, s).spansPerResponse(), "%.3f")));
    }

    private static Tally tally(Map<String, Tally> tallies, TargetSummary s) {
        return tallies.getOrDefault(s.target(), Tally.of(List.of()));
    }

    private static void notes(StringBuilder t, BenchmarkResults results, CpuPinning pinning) {
        ReportNotes.idleAndNoisy(t, results, pinning, "the node waited rather than worked, so its throughput"
                + " understates what the core could do", "the ratio is less certain, see the noisy column, the CPU"
                + " cross-check and the JSON");
    }

    private static String legend(CpuPinning pinning) {
        return "legend: /plain = throughput over the plain node's; 1/X-1/P = time observability adds per request,"
                + " from throughput (its CPU cost, on one CPU); node CPU = node process time / responses; load CPU ="
                + " generator+backend+sink JVM time / responses; sink = the OTLP sink's handler CPU / responses (part"
                + " of load CPU: a collector elsewhere would not be); spans, log lines = received by the sink, written"
                + " to the access log, over the target's runs / its responses; " + ReportNotes.legendTail(pinning);
    }

    static String json(BenchmarkResults results) {
        BenchmarkOptions o = results.options();
        Map<String, Tally> tallies = tallies(results);
        List<String> problems = problems(results);
        JsonWriter w = ReportParts.beginJson(results);
        ReportParts.targets(w, o.targets(), target -> ObservabilityScenario.describe(target, o.accessLog(),
                o.samplerRatio()));
        w.name("accessLog").value(o.accessLog().flag());
        w.name("samplerRatio").value(BigDecimal.valueOf(o.samplerRatio()));
        w.name("sampler").value(ObservabilityScenario.sampler(o.samplerRatio()));
        w.name("expectedSpansPerResponse").value(BigDecimal.valueOf(
                ObservabilityScenario.expectedSpansPerResponse(o.samplerRatio())));
        ReportParts.summaries(w, results);
        double ratio = ratio(results);
        w.name("ratios").beginObject()
                .name("observedOverPlain").value(ratio)
                .name("observedOverPlainFromCpu").value(CacheReport.cpuRatio(results,
                        ObservabilityScenario.OBSERVED, ObservabilityScenario.PLAIN))
                .name("target").value(TARGET)
                .name("verdict").value(verdict(ratio, problems.isEmpty()))
                .name("addedMicrosPerRequest").value(CostRatio.addedMicrosPerRequest(
                        results.rps(ObservabilityScenario.PLAIN), results.rps(ObservabilityScenario.OBSERVED)))
                .name("addedMicrosIsCpuCost").value(o.pinning() == CpuPinning.Mode.ONE_CPU)
                .endObject();
        w.name("telemetry").beginObject();
        tallies.forEach((target, tally) -> w.name(target).beginObject()
                .name("responses").value(tally.responses())
                .name("exports").value(tally.exports())
                .name("spans").value(tally.spans())
                .name("bytes").value(tally.bytes())
                .name("spansPerResponse").value(tally.spansPerResponse())
                .name("bytesPerResponse").value(tally.bytesPerResponse())
                .name("sinkCpuMicrosPerResponse").value(tally.sinkCpuMicrosPerResponse())
                .name("accessLogLines").value(tally.logLines())
                .name("accessLogLinesPerResponse").value(tally.logLinesPerResponse())
                .endObject());
        w.endObject();
        ReportParts.verified(w, problems);
        ReportParts.runs(w, results);
        w.name("telemetryPerRun").beginArray();
        for (Measurement m : results.saturation()) {
            w.beginObject()
                    .name("target").value(m.target())
                    .name("round").value(m.round())
                    .name("exports").value(m.telemetry().exports())
                    .name("spans").value(m.telemetry().spans())
                    .name("bytes").value(m.telemetry().bytes())
                    .name("accessLogLines").value(m.telemetry().logLines())
                    .name("spansPerResponse").value(m.spansPerResponse())
                    .endObject();
        }
        w.endArray();
        return w.endObject().toString();
    }

    private static double ratio(BenchmarkResults results) {
        return results.throughputRatio(ObservabilityScenario.OBSERVED, ObservabilityScenario.PLAIN);
    }
}
