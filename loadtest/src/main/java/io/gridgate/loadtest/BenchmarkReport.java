package io.gridgate.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** Renders {@link BenchmarkResults} as the console table and as the JSON file under the results directory. */
final class BenchmarkReport {

    private BenchmarkReport() {
    }

    /** Below this share of the shared core busy at saturation, the one-CPU model behind C does not hold. */
    static final double SATURATED_CORE = 0.9;

    /** One column of the throughput table. */
    record Column(String header, String format, Function<TargetSummary, String> value) {
    }

    /** The header line and one line per target, as every scenario's table prints them. */
    static void rows(StringBuilder t, List<Column> columns, Collection<TargetSummary> summaries) {
        for (Column c : columns) {
            t.append(String.format(Locale.ROOT, c.format(), c.header()));
        }
        t.append('\n');
        for (TargetSummary s : summaries) {
            for (Column c : columns) {
                t.append(String.format(Locale.ROOT, c.format(), c.value().apply(s)));
            }
            t.append('\n');
        }
    }

    /** The table printed at the end of a run. */
    static String table(BenchmarkResults results) {
        BenchmarkOptions o = results.options();
        CpuPinning pinning = CpuPinning.of(o);
        StringBuilder t = new StringBuilder();
        ReportParts.header(t, "Proxy benchmark", "rounds per phase", o, pinning.describe());
        ReportParts.throughput(t, results, throughputColumns(results, pinning));

        if (!Double.isNaN(results.rate())) {
            latencyTable(t, results, "direct");
        }
        t.append('\n');
        if (pinning.mode() == CpuPinning.Mode.ONE_CPU) {
            oneCpuHeadline(t, results, pinning);
        } else {
            splitHeadline(t, results, pinning);
        }
        t.append(legend(pinning));
        ReportNotes.flagged(t, results);
        return t.toString();
    }

    private static List<Column> throughputColumns(BenchmarkResults results, CpuPinning pinning) {
        double direct = results.rps("direct");
        List<Column> columns = new ArrayList<>(ReportParts.leadingColumns("target", "%-9s"));
        columns.add(ReportParts.relativeColumn("/direct", " %7s", direct));
        columns.addAll(ReportParts.addedColumn(pinning, "1/X-1/D us", "direct", direct, "%.1f"));
        columns.addAll(ReportParts.cpuColumns("proxy CPU us/req", " %16s"));
        columns.addAll(ReportParts.closingColumns(pinning));
        return columns;
    }

    /** The latency phase's percentiles per target, and what each adds over {@code baseline}'s. */
    static void latencyTable(StringBuilder t, BenchmarkResults results, String baseline) {
        TargetSummary base = results.summaries().get(baseline);
        t.append(String.format(Locale.ROOT, "%nLatency at %,.0f req/s, open loop, from each request's due time "
                        + "(median of %d), microseconds; + is added over %s%n", results.rate(),
                results.options().rounds(), baseline));
        t.append(String.format(Locale.ROOT, "%-9s %10s %7s %7s %8s %7s %7s %8s %12s%n",
                "target", "req/s", "p50", "p99", "p99.9", "+p50", "+p99", "+p99.9", "send-lag p99"));
        for (TargetSummary s : results.summaries().values()) {
            t.append(String.format(Locale.ROOT, "%-9s %10s %7s %7s %8s %7s %7s %8s %12s%n",
                    s.target(), num(s.achievedRate(), "%,.0f"),
                    num(s.p50Micros(), "%.0f"), num(s.p99Micros(), "%.0f"), num(s.p999Micros(), "%.0f"),
                    added(s.p50Micros(), base == null ? Double.NaN : base.p50Micros()),
                    added(s.p99Micros(), base == null ? Double.NaN : base.p99Micros()),
                    added(s.p999Micros(), base == null ? Double.NaN : base.p999Micros()),
                    num(s.sendLagP99Micros(), "%.0f")));
        }
    }

    /** C first: on one CPU it is the cost ratio, and the added time per request is each proxy's CPU cost. */
    private static void oneCpuHeadline(StringBuilder t, BenchmarkResults results, CpuPinning pinning) {
        t.append(String.format(Locale.ROOT, "C = (D/G-1)/(D/N-1) = %s  (target <= 2.5, aim 1.5): CPU per request added"
                        + " by gridgate %s us / by nginx %s us, from throughput (1/X-1/D)%n",
                num(results.costRatio(), "%.2f"), num(results.addedMicrosPerRequest("gridgate"), "%.1f"),
                num(results.addedMicrosPerRequest("nginx"), "%.1f")));
        t.append(String.format(Locale.ROOT, "G/D = %s   G/N = %s   measured proxy CPU per request (process time),"
                        + " gridgate / nginx = %s%n",
                num(results.throughputRatio("gridgate", "direct"), "%.2f"),
                num(results.throughputRatio("gridgate", "nginx"), "%.2f"),
                num(results.measuredCpuRatio(), "%.2f")));
        for (TargetSummary s : results.summaries().values()) {
            if (s.loadCpuBusy() < SATURATED_CORE) {
                t.append(String.format(Locale.ROOT, "note: CPU%d was only %s busy in %s's saturation runs; C assumes"
                                + " the shared core is the bottleneck, so 1/X-1/D overstates that target's cost%n",
                        pinning.loadCpu(), percent(s.loadCpuBusy()), s.target()));
            }
        }
    }

    /** With the proxy on its own core (or unpinned), C is not a cost ratio: the measured CPU ratio is the reading. */
    private static void splitHeadline(StringBuilder t, BenchmarkResults results, CpuPinning pinning) {
        t.append(String.format(Locale.ROOT, "measured proxy CPU per request (process time), gridgate / nginx = %s%n",
                num(results.measuredCpuRatio(), "%.2f")));
        t.append(String.format(Locale.ROOT, "G/D = %s   G/N = %s   C = (D/G-1)/(D/N-1) = %s, not a cost ratio here:"
                        + " C needs all processes on one CPU (--pinning one-cpu)%n",
                num(results.throughputRatio("gridgate", "direct"), "%.2f"),
                num(results.throughputRatio("gridgate", "nginx"), "%.2f"),
                num(results.costRatio(), "%.2f")));
        TargetSummary nginx = results.summaries().get("nginx");
        if (pinning.mode() == CpuPinning.Mode.SPLIT && nginx != null && nginx.loadCpuBusy() >= SATURATED_CORE) {
            t.append(String.format(Locale.ROOT, "note: nginx's saturation runs had CPU%d (generator+backend) %s busy:"
                    + " nginx was held back by the load side, not by its own cost%n",
                    pinning.loadCpu(), percent(nginx.loadCpuBusy())));
        }
    }

    private static String legend(CpuPinning pinning) {
        return "legend: 1/X-1/D = time a hop adds per request, from throughput; proxy CPU = proxy process time"
                + " / responses; load CPU = generator+backend JVM time / responses (C assumes it does not depend on"
                + " the target); " + ReportNotes.legendTail(pinning);
    }

    /** Writes the JSON next to earlier runs, named by start time, and returns its path. */
    static Path writeJson(BenchmarkResults results, Path dir) throws IOException {
        return writeFile(json(results), "proxy-benchmark-", dir);
    }

    /** Writes {@code json} as {@code <prefix><start time>.json} in {@code dir} and returns its path. */
    static Path writeFile(String json, String prefix, Path dir) throws IOException {
        Files.createDirectories(dir);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path file = dir.resolve(prefix + stamp + ".json");
        Files.writeString(file, json + "\n");
        return file;
    }

    static String json(BenchmarkResults results) {
        JsonWriter w = ReportParts.beginJson(results);
        w.name("latencyRate").value(results.rate());
        ReportParts.summaries(w, results);
        w.name("ratios").beginObject()
                .name("gridgateOverDirect").value(results.throughputRatio("gridgate", "direct"))
                .name("gridgateOverNginx").value(results.throughputRatio("gridgate", "nginx"))
                .name("costRatioC").value(results.costRatio())
                .name("costRatioIsCpuCostRatio").value(results.options().pinning() == CpuPinning.Mode.ONE_CPU)
                .name("nginxAddedMicrosPerRequest").value(results.addedMicrosPerRequest("nginx"))
                .name("gridgateAddedMicrosPerRequest").value(results.addedMicrosPerRequest("gridgate"))
                .name("measuredCpuPerRequestGridgateOverNginx").value(results.measuredCpuRatio())
                .endObject();
        ReportParts.runs(w, results);
        return w.endObject().toString();
    }

    /**
     * The flags a run used, as the {@code options} object; the rate fraction, the compose scenario's rate and upstream
     * delay, the limit mode and the lease size where they apply.
     */
    static void options(JsonWriter w, BenchmarkOptions o) {
        w.name("options").beginObject()
                .name("scenario").value(o.scenario().flag())
                .name("targets").value(String.join(",", o.targets()))
                .name("rounds").value(o.rounds())
                .name("connections").value(o.connections())
                .name("generatorThreads").value(o.threads())
                .name("warmupSeconds").value(o.warmup().toMillis() / 1000.0)
                .name("durationSeconds").value(o.duration().toMillis() / 1000.0)
                .name("primingSeconds").value(o.priming().toMillis() / 1000.0);
        if (o.scenario().ratedByFraction()) {
            w.name("rateFraction").value(o.rateFraction());
        }
        if (o.scenario() == Scenario.COMPOSE) {
            w.name("rate").value(o.rate());
            w.name("upstreamDelayMillis").value(o.upstreamDelay().toNanos() / 1e6);
        }
        w.name("gridgateJar").value(o.gridgateJar().toString())
                .name("pinning").value(o.pinning().flag())
                .name("cpu").value(o.pinning() == CpuPinning.Mode.ONE_CPU ? o.cpu() : -1);
        if (o.scenario() == Scenario.RATELIMIT) {
            w.name("leaseSize").value(o.leaseSize());
        }
        if (o.scenario() == Scenario.PLUGINS || o.scenario() == Scenario.NODES) {
            w.name("limitMode").value(o.limitMode().flag());
            if (o.limitMode() == ClusterLimit.Mode.LEASED) {
                w.name("leaseSize").value(o.leaseSize());
            }
        }
        w.endObject();
    }

    static void summary(JsonWriter w, TargetSummary s) {
        w.name(s.target()).beginObject()
                .name("requestsPerSecond").value(s.requestsPerSecond())
                .name("proxyCpuMicrosPerRequest").value(s.proxyCpuMicrosPerRequest())
                .name("loadCpuMicrosPerRequest").value(s.loadCpuMicrosPerRequest())
                .name("gridRoundTripsPerRequest").value(s.gridRoundTripsPerRequest())
                .name("loadCpuBusy").value(s.loadCpuBusy())
                .name("proxyCpuBusy").value(s.proxyCpuBusy())
                .name("loadCpuForeign").value(s.loadCpuForeign())
                .name("proxyCpuForeign").value(s.proxyCpuForeign())
                .name("latencyAchievedRate").value(s.achievedRate())
                .name("p50Micros").value(s.p50Micros())
                .name("p99Micros").value(s.p99Micros())
                .name("p999Micros").value(s.p999Micros())
                .name("sendLagP99Micros").value(s.sendLagP99Micros())
                .name("flaggedRounds").value(s.flaggedRounds())
                .name("noisyRounds").value(s.noisyRounds())
                .endObject();
    }

    static void run(JsonWriter w, Measurement m) {
        LoadResult r = m.result();
        w.beginObject()
                .name("target").value(m.target())
                .name("round").value(m.round())
                .name("pacing").value(r.pacing().toString())
                .name("windowSeconds").value(r.window().toNanos() / 1e9)
                .name("succeeded").value(r.succeeded())
                .name("completedInclWarmup").value(r.completed())
                .name("requestsPerSecond").value(r.requestsPerSecond())
                .name("p50Micros").value(r.latencyMicros(50))
                .name("p99Micros").value(r.latencyMicros(99))
                .name("p999Micros").value(r.latencyMicros(99.9))
                .name("maxMicros").value(r.latencyMicros(100))
                .name("sendLagP99Micros").value(r.sendLagMicros(99))
                .name("proxyCpuMicrosPerRequest").value(m.proxyCpuMicrosPerRequest())
                .name("loadCpuMicrosPerRequest").value(m.loadCpuMicrosPerRequest())
                .name("gridRoundTrips").value(m.gridRoundTrips())
                .name("loadCpuBusy").value(m.cpu().loadBusy())
                .name("proxyCpuBusy").value(m.cpu().proxyBusy())
                .name("loadCpuForeign").value(m.cpu().loadForeign())
                .name("proxyCpuForeign").value(m.cpu().proxyForeign())
                .name("peakLoadCpuForeign").value(m.cpu().peakLoadForeign())
                .name("peakProxyCpuForeign").value(m.cpu().peakProxyForeign())
                .name("noisy").value(m.cpu().noisy())
                .name("loadGcMillis").value(m.loadGcMillis())
                .name("errors").beginObject()
                .name("non2xx").value(r.errors().non2xx())
                .name("connectFailures").value(r.errors().connectFailures())
                .name("timeouts").value(r.errors().timeouts())
                .name("ioErrors").value(r.errors().ioErrors())
                .name("wrongBodies").value(r.errors().wrongBodies())
                .endObject()
                .name("capped").value(r.capped())
                .name("flagged").value(r.flagged())
                .endObject();
    }

    static String num(double v, String format) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "n/a";
    }

    static String percent(double share) {
        return Double.isFinite(share) ? String.format(Locale.ROOT, "%.0f%%", share * 100) : "n/a";
    }

    /**
     * How busy the shared core (or the load's core, when split) was in each target's latency runs, medians, as
     * "CPU1 busy in the latency runs (median): plain 40%, plugins 75%"; empty when unpinned or without a latency phase.
     * The rate is the same for all, so this says whether it was a moderate load for each, or queueing on a busy core.
     */
    static String latencyBusy(BenchmarkResults results, CpuPinning pinning) {
        if (!pinning.enabled() || results.latency().isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (String target : results.options().targets()) {
            double busy = TargetSummary.median(results.latency().stream().filter(m -> m.target().equals(target))
                    .mapToDouble(m -> m.cpu().loadBusy()).toArray());
            parts.add(target + " " + percent(busy));
        }
        return String.format(Locale.ROOT, "CPU%d busy in the latency runs (median): %s", pinning.loadCpu(),
                String.join(", ", parts));
    }

    /**
     * What {@code target}'s latency percentile ({@code percentile}, e.g. {@code TargetSummary::p99Micros}) adds over
     * {@code baseline}'s, in microseconds; NaN unless both were measured.
     */
    static double addedLatency(BenchmarkResults results, String target, String baseline,
            ToDoubleFunction<TargetSummary> percentile) {
        return latency(results, target, percentile) - latency(results, baseline, percentile);
    }

    private static double latency(BenchmarkResults results, String target, ToDoubleFunction<TargetSummary> p) {
        return results.summary(target).map(p::applyAsDouble).orElse(Double.NaN);
    }

    /** Microseconds with their sign, such as {@code +12}; "n/a" when not measured. */
    static String signed(double micros) {
        return Double.isFinite(micros) ? String.format(Locale.ROOT, "%+.0f", micros) : "n/a";
    }

    private static String added(double value, double base) {
        return Double.isFinite(value - base) ? String.format(Locale.ROOT, "%+.0f", value - base) : "-";
    }

    static String seconds(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : String.format(Locale.ROOT, "%.1f",
                d.toMillis() / 1000.0);
    }
}
