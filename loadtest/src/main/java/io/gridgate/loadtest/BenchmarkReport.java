package io.gridgate.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** Renders {@link BenchmarkResults} as the console table and as the JSON file under the results directory. */
final class BenchmarkReport {

    private BenchmarkReport() {
    }

    /** The table printed at the end of a run. */
    static String table(BenchmarkResults results) {
        BenchmarkOptions o = results.options();
        Map<String, TargetSummary> summaries = results.summaries();
        TargetSummary direct = summaries.get("direct");
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%nProxy benchmark: %d rounds per phase, interleaved %s; %d connections; "
                        + "%ss warm-up + %ss per run; %s%n",
                o.rounds(), String.join(",", o.targets()), o.connections(), seconds(o.warmup()),
                seconds(o.duration()), results.environment().getOrDefault("pinning", "?")));

        t.append(String.format(Locale.ROOT, "%nThroughput, closed loop (median of %d)%n", o.rounds()));
        t.append(String.format(Locale.ROOT, "%-9s %10s %7s %16s %10s %10s %12s %8s %6s%n",
                "target", "req/s", "/direct", "proxy CPU us/req", "CPU0 busy", "CPU1 busy", "other CPU0/1",
                "flagged", "noisy"));
        for (TargetSummary s : summaries.values()) {
            t.append(String.format(Locale.ROOT, "%-9s %10s %7s %16s %10s %10s %12s %8s %6s%n",
                    s.target(), num(s.requestsPerSecond(), "%,.0f"),
                    direct == null ? "n/a" : num(s.requestsPerSecond() / direct.requestsPerSecond(), "%.2f"),
                    num(s.proxyCpuMicrosPerRequest(), "%.1f"), percent(s.loadCpuBusy()), percent(s.proxyCpuBusy()),
                    percent(s.loadCpuForeign()) + "/" + percent(s.proxyCpuForeign()),
                    s.flaggedRounds() + "/" + s.rounds(), s.noisyRounds() + "/" + s.rounds()));
        }

        if (!Double.isNaN(results.rate())) {
            t.append(String.format(Locale.ROOT, "%nLatency at %,.0f req/s, open loop, from each request's due time "
                    + "(median of %d), microseconds; + is added over direct%n", results.rate(), o.rounds()));
            t.append(String.format(Locale.ROOT, "%-9s %10s %7s %7s %8s %7s %7s %8s %12s%n",
                    "target", "req/s", "p50", "p99", "p99.9", "+p50", "+p99", "+p99.9", "send-lag p99"));
            for (TargetSummary s : summaries.values()) {
                t.append(String.format(Locale.ROOT, "%-9s %10s %7s %7s %8s %7s %7s %8s %12s%n",
                        s.target(), num(s.achievedRate(), "%,.0f"),
                        num(s.p50Micros(), "%.0f"), num(s.p99Micros(), "%.0f"), num(s.p999Micros(), "%.0f"),
                        added(s.p50Micros(), direct == null ? Double.NaN : direct.p50Micros()),
                        added(s.p99Micros(), direct == null ? Double.NaN : direct.p99Micros()),
                        added(s.p999Micros(), direct == null ? Double.NaN : direct.p999Micros()),
                        num(s.sendLagP99Micros(), "%.0f")));
            }
        }

        t.append(String.format(Locale.ROOT, "%nG/D = %s   G/N = %s   C = (D/G-1)/(D/N-1) = %s  (target <= 2.5, "
                        + "aim 1.5)%n",
                num(results.throughputRatio("gridgate", "direct"), "%.2f"),
                num(results.throughputRatio("gridgate", "nginx"), "%.2f"),
                num(results.costRatio(), "%.2f")));
        t.append(String.format(Locale.ROOT, "measured proxy CPU per request, gridgate / nginx = %s%n",
                num(results.measuredCpuRatio(), "%.2f")));
        TargetSummary nginx = summaries.get("nginx");
        if (nginx != null && nginx.loadCpuBusy() >= 0.9) {
            t.append(String.format(Locale.ROOT, "note: nginx's saturation runs had CPU0 (generator+backend) %s busy:"
                    + " nginx was held back by the load side, not by its own cost, so D/N-1 understates that cost and"
                    + " C overstates Gridgate's; the measured CPU ratio above does not depend on which side limits.%n",
                    percent(nginx.loadCpuBusy())));
        }
        t.append("legend: proxy CPU = proxy process time / responses; other CPU0/1 = core time not used by the process"
                + " pinned there (median over runs); noisy = runs where others took > "
                + Math.round(CoreUsage.NOISY_FOREIGN_SHARE * 100) + "% of a core they depend on, or > "
                + Math.round(CoreUsage.NOISY_FOREIGN_PEAK * 100) + "% in any 100 ms; flagged = runs with errors\n");
        for (Measurement m : results.flagged()) {
            t.append(String.format(Locale.ROOT, "FLAGGED %s round %d (%s): errors %s%s%n", m.target(), m.round(),
                    m.result().pacing(), m.result().errors(), m.result().capped() ? ", request cap hit" : ""));
        }
        return t.toString();
    }

    /** Writes the JSON next to earlier runs, named by start time, and returns its path. */
    static Path writeJson(BenchmarkResults results, Path dir) throws IOException {
        Files.createDirectories(dir);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path file = dir.resolve("proxy-benchmark-" + stamp + ".json");
        Files.writeString(file, json(results) + "\n");
        return file;
    }

    static String json(BenchmarkResults results) {
        BenchmarkOptions o = results.options();
        JsonWriter w = new JsonWriter().beginObject();
        w.name("options").beginObject()
                .name("targets").value(String.join(",", o.targets()))
                .name("rounds").value(o.rounds())
                .name("connections").value(o.connections())
                .name("generatorThreads").value(o.threads())
                .name("warmupSeconds").value(o.warmup().toMillis() / 1000.0)
                .name("durationSeconds").value(o.duration().toMillis() / 1000.0)
                .name("rateFraction").value(o.rateFraction())
                .name("gridgateJar").value(o.gridgateJar().toString())
                .endObject();
        w.name("environment").beginObject();
        results.environment().forEach((k, v) -> w.name(k).value(v));
        w.endObject();
        w.name("latencyRate").value(results.rate());
        w.name("summary").beginObject();
        results.summaries().values().forEach(s -> summary(w, s));
        w.endObject();
        w.name("ratios").beginObject()
                .name("gridgateOverDirect").value(results.throughputRatio("gridgate", "direct"))
                .name("gridgateOverNginx").value(results.throughputRatio("gridgate", "nginx"))
                .name("costRatioC").value(results.costRatio())
                .name("measuredCpuPerRequestGridgateOverNginx").value(results.measuredCpuRatio())
                .endObject();
        w.name("flagged").value(!results.flagged().isEmpty());
        w.name("saturationRuns").beginArray();
        results.saturation().forEach(m -> run(w, m));
        w.endArray();
        w.name("latencyRuns").beginArray();
        results.latency().forEach(m -> run(w, m));
        w.endArray();
        return w.endObject().toString();
    }

    private static void summary(JsonWriter w, TargetSummary s) {
        w.name(s.target()).beginObject()
                .name("requestsPerSecond").value(s.requestsPerSecond())
                .name("proxyCpuMicrosPerRequest").value(s.proxyCpuMicrosPerRequest())
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

    private static void run(JsonWriter w, Measurement m) {
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
                .endObject()
                .name("capped").value(r.capped())
                .name("flagged").value(r.flagged())
                .endObject();
    }

    private static String num(double v, String format) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "n/a";
    }

    private static String percent(double share) {
        return Double.isFinite(share) ? String.format(Locale.ROOT, "%.0f%%", share * 100) : "n/a";
    }

    private static String added(double value, double direct) {
        return Double.isFinite(value - direct) ? String.format(Locale.ROOT, "%+.0f", value - direct) : "-";
    }

    private static String seconds(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : String.format(Locale.ROOT, "%.1f",
                d.toMillis() / 1000.0);
    }
}
