package io.gridgate.loadtest;

import static io.gridgate.loadtest.BenchmarkReport.num;
import static io.gridgate.loadtest.BenchmarkReport.percent;
import static io.gridgate.loadtest.BenchmarkReport.seconds;
import static io.gridgate.loadtest.BenchmarkReport.signed;

import io.gridgate.loadtest.BenchmarkReport.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The pieces every scenario's report is built of, table and JSON, so that a run reads the same whichever scenario
 * it was and a change to one piece reaches every report. What a scenario says about its own figures stays in its
 * report.
 */
final class ReportParts {

    private ReportParts() {
    }

    /**
     * The table's first lines: what ran, how many rounds of how long, and the pinning.
     *
     * @param title such as "Cache benchmark"
     * @param rounds "rounds", or "rounds per phase" for a scenario with a latency phase as well
     * @param pinning the pinning described, with anything the scenario adds to it
     */
    static void header(StringBuilder t, String title, String rounds, BenchmarkOptions o, String pinning) {
        t.append(String.format(Locale.ROOT, "%n%s: %d %s, interleaved %s; %d connections; %ss warm-up + %ss per run"
                        + "%npinning %s%n", title, o.rounds(), rounds, String.join(",", o.targets()), o.connections(),
                seconds(o.warmup()), seconds(o.duration()), pinning));
    }

    /** One line per target, saying what it is. */
    static void targets(StringBuilder t, List<String> targets, Function<String, String> describe) {
        for (String target : targets) {
            t.append(String.format(Locale.ROOT, "  %-9s %s%n", target, describe.apply(target)));
        }
    }

    /** The closed-loop throughput table, one row per target. */
    static void throughput(StringBuilder t, BenchmarkResults results, List<Column> columns) {
        t.append(String.format(Locale.ROOT, "%nThroughput, closed loop (median of %d)%n", results.options().rounds()));
        BenchmarkReport.rows(t, columns, results.summaries().values());
    }

    /**
     * {@code a} over {@code b} as measured CPU per request predicts it (see {@link CacheReport#cpuRatio}), the
     * reading noisy runs are checked against.
     *
     * @param processes whose process time is counted besides the load's, such as "node"
     */
    static void cpuCrossCheck(StringBuilder t, BenchmarkResults results, String processes, String a, String b) {
        t.append(String.format(Locale.ROOT, "from measured CPU per request (load + %s, process time): %s/%s = %s"
                        + "  (others on the core do not move this: the cross-check for noisy runs)%n",
                processes, a, b, num(CacheReport.cpuRatio(results, a, b), "%.2f")));
    }

    /**
     * What {@code target} adds over {@code baseline} to the latency phase's percentiles, and how busy the core was
     * for each; nothing without a latency phase.
     *
     * @param comparison such as "plugins over plain"
     */
    static void addedLatency(StringBuilder t, BenchmarkResults results, CpuPinning pinning, String target,
            String baseline, String comparison) {
        if (Double.isNaN(results.rate())) {
            return;
        }
        t.append(String.format(Locale.ROOT, "added latency at %,.0f req/s (%s, open loop): p50 %s us, p99 %s us,"
                        + " p99.9 %s us%n", results.rate(), comparison,
                signed(BenchmarkReport.addedLatency(results, target, baseline, TargetSummary::p50Micros)),
                signed(BenchmarkReport.addedLatency(results, target, baseline, TargetSummary::p99Micros)),
                signed(BenchmarkReport.addedLatency(results, target, baseline, TargetSummary::p999Micros))));
        String busy = BenchmarkReport.latencyBusy(results, pinning);
        if (!busy.isEmpty()) {
            t.append(busy).append(" (the same rate for both: above about 70%, queueing on the core is in the"
                    + " percentiles)\n");
        }
    }

    /** One line per thing that stands between the figures and what they claim. */
    static void notVerified(StringBuilder t, List<String> problems) {
        for (String problem : problems) {
            t.append("NOT VERIFIED: ").append(problem).append('\n');
        }
    }

    /** The target's name, under {@code header}, and its median throughput: every throughput table starts so. */
    static List<Column> leadingColumns(String header, String format) {
        return List.of(new Column(header, format, TargetSummary::target),
                new Column("req/s", " %10s", s -> num(s.requestsPerSecond(), "%,.0f")));
    }

    /** Throughput over {@code base} requests per second. */
    static Column relativeColumn(String header, String format, double base) {
        return new Column(header, format, s -> num(s.requestsPerSecond() / base, "%.2f"));
    }

    /**
     * 1/X - 1/B, the time a target adds per request over the baseline from throughput; only on one CPU, where it is
     * a CPU cost.
     */
    static List<Column> addedColumn(CpuPinning pinning, String header, String baseline, double base, String value) {
        if (pinning.mode() != CpuPinning.Mode.ONE_CPU) {
            return List.of();
        }
        return List.of(new Column(header, " %10s", s -> s.target().equals(baseline) ? "-"
                : num(CostRatio.addedMicrosPerRequest(base, s.requestsPerSecond()), value)));
    }

    /** The proxy's (or node's) measured CPU per request, under {@code header}, and the load's. */
    static List<Column> cpuColumns(String header, String format) {
        return List.of(new Column(header, format, s -> num(s.proxyCpuMicrosPerRequest(), "%.1f")),
                new Column("load CPU us/req", " %15s", s -> num(s.loadCpuMicrosPerRequest(), "%.1f")));
    }

    static Column gridTripsColumn() {
        return new Column("grid trips/req", " %14s", s -> num(s.gridRoundTripsPerRequest(), "%.4f"));
    }

    /** The cores' use as the pinning allows, and the flagged and noisy rounds: every throughput table ends so. */
    static List<Column> closingColumns(CpuPinning pinning) {
        List<Column> columns = new ArrayList<>(coreColumns(pinning));
        columns.add(new Column("flagged", " %8s", s -> s.flaggedRounds() + "/" + s.rounds()));
        columns.add(new Column("noisy", " %6s", s -> s.noisyRounds() + "/" + s.rounds()));
        return columns;
    }

    /** How busy the pinned cores were and how much of them others took, as the pinning mode allows. */
    private static List<Column> coreColumns(CpuPinning pinning) {
        List<Column> columns = new ArrayList<>();
        switch (pinning.mode()) {
            case ONE_CPU -> {
                String cpu = "CPU" + pinning.loadCpu();
                columns.add(new Column(cpu + " busy", " %9s", s -> percent(s.loadCpuBusy())));
                columns.add(new Column("other " + cpu, " %10s", s -> percent(s.loadCpuForeign())));
            }
            case SPLIT -> {
                String load = "CPU" + pinning.loadCpu();
                String proxy = "CPU" + pinning.proxyCpu();
                columns.add(new Column(load + " busy", " %9s", s -> percent(s.loadCpuBusy())));
                columns.add(new Column(proxy + " busy", " %9s", s -> percent(s.proxyCpuBusy())));
                columns.add(new Column("other " + load + "/" + pinning.proxyCpu(), " %12s",
                        s -> percent(s.loadCpuForeign()) + "/" + percent(s.proxyCpuForeign())));
            }
            case NONE -> {
                // unpinned: cores cannot be attributed, so there is nothing per core to show
            }
        }
        return columns;
    }

    /** Opens the JSON object with the run's options and environment, as every scenario's JSON starts. */
    static JsonWriter beginJson(BenchmarkResults results) {
        JsonWriter w = new JsonWriter().beginObject();
        BenchmarkReport.options(w, results.options());
        w.name("environment").beginObject();
        results.environment().forEach((k, v) -> w.name(k).value(v));
        return w.endObject();
    }

    /** The {@code targets} object: what each target is. */
    static void targets(JsonWriter w, List<String> targets, Function<String, String> describe) {
        w.name("targets").beginObject();
        targets.forEach(target -> w.name(target).value(describe.apply(target)));
        w.endObject();
    }

    /** The {@code summary} object: each target's medians. */
    static void summaries(JsonWriter w, BenchmarkResults results) {
        w.name("summary").beginObject();
        results.summaries().values().forEach(s -> BenchmarkReport.summary(w, s));
        w.endObject();
    }

    /** What {@code target} adds over {@code baseline} to the latency percentiles, in microseconds. */
    static JsonWriter addedLatencies(JsonWriter w, BenchmarkResults results, String target, String baseline) {
        return w.name("addedP50Micros").value(BenchmarkReport.addedLatency(results, target, baseline,
                        TargetSummary::p50Micros))
                .name("addedP99Micros").value(BenchmarkReport.addedLatency(results, target, baseline,
                        TargetSummary::p99Micros))
                .name("addedP999Micros").value(BenchmarkReport.addedLatency(results, target, baseline,
                        TargetSummary::p999Micros));
    }

    /** Whether the figures are what they claim, and if not, why not. */
    static void verified(JsonWriter w, List<String> problems) {
        w.name("verified").value(problems.isEmpty());
        w.name("problems").beginArray();
        problems.forEach(w::value);
        w.endArray();
    }

    /** Whether any run was flagged, then every run of each phase the scenario has, in the order they ran. */
    static void runs(JsonWriter w, BenchmarkResults results) {
        w.name("flagged").value(!results.flagged().isEmpty());
        Scenario scenario = results.options().scenario();
        if (scenario.saturationPhase()) {
            runs(w, "saturationRuns", results.saturation());
        }
        if (scenario.latencyPhase()) {
            runs(w, "latencyRuns", results.latency());
        }
    }

    private static void runs(JsonWriter w, String name, List<Measurement> runs) {
        w.name(name).beginArray();
        runs.forEach(m -> BenchmarkReport.run(w, m));
        w.endArray();
    }

    /** The backend's requests in each run, for the scenarios whose figures rest on how many reached it. */
    static void backendRequestsPerRun(JsonWriter w, List<Measurement> runs) {
        w.name("backendRequestsPerRun").beginArray();
        for (Measurement m : runs) {
            w.beginObject()
                    .name("target").value(m.target())
                    .name("round").value(m.round())
                    .name("backendRequests").value(m.backendRequests())
                    .name("completedInclWarmup").value(m.result().completed())
                    .endObject();
        }
        w.endArray();
    }
}
