package io.gridgate.loadtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The command-line run's report: the text for stdout, and the files for the report directory (a JSON summary, the
 * HdrHistogram percentile distribution, an HTML page with the latency plot).
 */
final class LoadReport {

    /** The percentiles the report names; the maximum comes after them. */
    static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final LoadCliOptions options;
    private final LoadResult result;
    private final Instant startedAt;

    LoadReport(LoadCliOptions options, LoadResult result, Instant startedAt) {
        this.options = options;
        this.result = result;
        this.startedAt = startedAt;
    }

    /** 0 when every request succeeded, 3 when any failed (warm-up included). */
    int exitStatus() {
        return result.errors().total() > 0 ? 3 : 0;
    }

    /** 2xx responses per second of the measured window. */
    double achievedRate() {
        return result.requestsPerSecond();
    }

    /** The report for stdout; {@code files} are listed at its end. */
    String text(List<Path> files) {
        StringBuilder t = new StringBuilder();
        t.append(options.describe()).append('\n');
        t.append(String.format(Locale.ROOT, "%-12s%,d answered 2xx in the %.1f s window (%,d responses in all,"
                + " warm-up included)%n", "requests", result.succeeded(), result.window().toNanos() / 1e9,
                result.completed()));
        String asked = options.pacing() instanceof Pacing.FixedRate fixed
                ? ", " + LoadCliOptions.format(fixed.requestsPerSecond()) + " req/s asked"
                : " (the peak for " + options.connections() + " connections)";
        t.append(String.format(Locale.ROOT, "%-12s%,.1f req/s achieved%s%n", "rate", achievedRate(), asked));
        t.append(String.format(Locale.ROOT, "%-12s%s%n", "latency", options.pacing() instanceof Pacing.FixedRate
                ? "from each request's due time (coordinated omission corrected)"
                : "from each send (closed loop)"));
        t.append(" ".repeat(12)).append(percentiles(result.latencyNanos())).append('\n');
        if (result.sendLagNanos().getTotalCount() > 0) {
            t.append(String.format(Locale.ROOT, "%-12sp99 %s (how late requests left after their due time; part of"
                    + " the latency)%n", "send lag", micros(result.sendLagMicros(99))));
        }
        errors(t);
        perTarget(t);
        if (result.capped()) {
            t.append("CAPPED: the request cap ended the run early\n");
        }
        for (int i = 0; i < files.size(); i++) {
            t.append(String.format(Locale.ROOT, "%-12s%s%n", i == 0 ? "files" : "", files.get(i)));
        }
        return t.toString();
    }

    /** "p50 1.21 ms   p90 ...   max 3.40 ms", or a dash when nothing was measured. */
    static String percentiles(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return "no successful response was measured";
        }
        StringBuilder s = new StringBuilder();
        for (double p : PERCENTILES) {
            s.append(String.format(Locale.ROOT, "%-16s", percentileName(p) + " "
                    + micros(nanos.getValueAtPercentile(p) / 1000.0)));
        }
        return s.append("max ").append(micros(nanos.getMaxValue() / 1000.0)).toString();
    }

    /** 850 us, 1.21 ms, 12.3 s: three significant figures or so, in the unit that reads best. */
    static String micros(double micros) {
        if (Double.isNaN(micros)) {
            return "-";
        }
        if (micros < 1_000) {
            return String.format(Locale.ROOT, "%.0f us", micros);
        }
        if (micros < 1_000_000) {
            return String.format(Locale.ROOT, micros < 100_000 ? "%.2f ms" : "%.1f ms", micros / 1_000);
        }
        return String.format(Locale.ROOT, "%.2f s", micros / 1_000_000);
    }

    static String percentileName(double p) {
        return "p" + LoadCliOptions.format(p);
    }

    private void errors(StringBuilder t) {
        ErrorCounts e = result.errors();
        if (e.total() == 0) {
            t.append(String.format(Locale.ROOT, "%-12snone%n", "errors"));
            return;
        }
        t.append(String.format(Locale.ROOT, "%-12s%,d (warm-up included)%n", "errors", e.total()));
        errorLine(t, "connect", e.connectFailures(), "failed connection attempts (retried every 50 ms)");
        errorLine(t, "timeout", e.timeouts(), "no answer within --timeout, or not sent by the end");
        errorLine(t, "io", e.ioErrors(), "connection reset or closed mid-answer, or a malformed answer");
        result.non2xxByStatus().forEach((status, count) -> errorLine(t, "status " + status, count, ""));
    }

    private static void errorLine(StringBuilder t, String kind, long count, String meaning) {
        if (count > 0) {
            t.append(String.format(Locale.ROOT, "%12s%-12s%,9d  %s", "", kind, count, meaning).stripTrailing())
                    .append('\n');
        }
    }

    private void perTarget(StringBuilder t) {
        t.append(String.format(Locale.ROOT, "%-12s%9s %6s %8s %10s %10s  %s%n", "per target", "2xx", "share",
                "errors", "p50", "p99", "url"));
        for (EndpointResult e : result.endpoints()) {
            t.append(String.format(Locale.ROOT, "%-12s%,9d %6s %,8d %10s %10s  %s%n", "", e.succeeded(),
                    share(e.succeeded()), e.errors().total(), micros(percentileMicros(e.latencyNanos(), 50)),
                    micros(percentileMicros(e.latencyNanos(), 99)), e.endpoint().url()));
        }
    }

    /** A target's share of the 2xx responses, "33.3%". */
    String share(long succeeded) {
        return result.succeeded() == 0 ? "-"
                : String.format(Locale.ROOT, "%.1f%%", 100.0 * succeeded / result.succeeded());
    }

    private static double percentileMicros(Histogram nanos, double p) {
        return nanos.getTotalCount() == 0 ? Double.NaN : nanos.getValueAtPercentile(p) / 1000.0;
    }

    /** The summary as JSON; header values are left out (a JWT does not belong in a results file). */
    String json(Map<String, Path> files) {
        JsonWriter w = new JsonWriter().beginObject()
                .name("startedAt").value(startedAt.toString())
                .name("mode").value(options.pacing() instanceof Pacing.FixedRate ? "open-loop" : "closed-loop")
                .name("rate").value(options.pacing() instanceof Pacing.FixedRate f ? f.requestsPerSecond()
                        : Double.NaN)
                .name("method").value(options.method())
                .name("urls").beginArray();
        result.endpoints().forEach(e -> w.value(e.endpoint().url()));
        w.endArray().name("headers").beginArray();
        options.headers().forEach(h -> w.value(h.redacted()));
        w.endArray()
                .name("connections").value(options.connections())
                .name("threads").value(options.threads())
                .name("warmupSeconds").value(options.warmup().toMillis() / 1000.0)
                .name("durationSeconds").value(options.duration().toMillis() / 1000.0)
                .name("timeoutSeconds").value(options.timeout().toMillis() / 1000.0)
                .name("windowSeconds").value(result.window().toNanos() / 1e9)
                .name("succeeded").value(result.succeeded())
                .name("responses").value(result.completed())
                .name("achievedRate").value(achievedRate())
                .name("latencyFrom").value(options.pacing() instanceof Pacing.FixedRate ? "due time" : "send")
                .name("latencyMicros");
        latency(w, result.latencyNanos());
        w.name("sendLagP99Micros").value(result.sendLagMicros(99));
        ErrorCounts e = result.errors();
        w.name("errors").beginObject()
                .name("total").value(e.total())
                .name("connect").value(e.connectFailures())
                .name("timeout").value(e.timeouts())
                .name("io").value(e.ioErrors())
                .name("non2xx").value(e.non2xx())
                .name("byStatus");
        statuses(w, result.non2xxByStatus());
        w.endObject().name("perTarget").beginArray();
        for (EndpointResult target : result.endpoints()) {
            w.beginObject()
                    .name("url").value(target.endpoint().url())
                    .name("succeeded").value(target.succeeded())
                    .name("errors").value(target.errors().total())
                    .name("byStatus");
            statuses(w, target.non2xxByStatus());
            w.name("latencyMicros");
            latency(w, target.latencyNanos());
            w.endObject();
        }
        w.endArray().name("capped").value(result.capped()).name("files").beginObject();
        files.forEach((kind, path) -> w.name(kind).value(path.toString()));
        return w.endObject().endObject().toString();
    }

    private static void latency(JsonWriter w, Histogram nanos) {
        boolean any = nanos.getTotalCount() > 0;
        w.beginObject();
        for (double p : PERCENTILES) {
            w.name(percentileName(p)).value(percentileMicros(nanos, p));
        }
        w.name("max").value(any ? nanos.getMaxValue() / 1000.0 : Double.NaN)
                .name("mean").value(any ? nanos.getMean() / 1000.0 : Double.NaN)
                .endObject();
    }

    private static void statuses(JsonWriter w, Map<Integer, Long> byStatus) {
        w.beginObject();
        byStatus.forEach((status, count) -> w.name(Integer.toString(status)).value(count));
        w.endObject();
    }

    /** HdrHistogram's percentile distribution text, in milliseconds, as its plotters read it. */
    String hgrm() {
        if (result.latencyNanos().getTotalCount() == 0) {
            return "# no successful response was measured\n";
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            result.latencyNanos().outputPercentileDistribution(out, 5, 1_000_000.0);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The page with the latency plot: every target's curve besides the total when there are several. */
    String html() {
        List<LatencyPlot.Series> series = new ArrayList<>();
        series.add(LatencyPlot.series(result.endpoints().size() > 1 ? "all targets" : "latency",
                result.latencyNanos()));
        if (result.endpoints().size() > 1) {
            for (EndpointResult e : result.endpoints()) {
                series.add(LatencyPlot.series(e.endpoint().url(), e.latencyNanos()));
            }
        }
        String title = "Latency by percentile, " + options.mode() + ", " + DateTimeFormatter.ofPattern(
                "yyyy-MM-dd HH:mm:ss").format(startedAt.atZone(ZoneId.systemDefault()));
        return LatencyPlot.html(title, LatencyPlot.svg(options.describe(), series), text(List.of()));
    }

    /**
     * Writes the three files as {@code load-<time>.json|.hgrm|.html} into {@code dir} (with a suffix if a run of the
     * same second left its files there); returns their paths.
     */
    List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        String stem = "load-" + STAMP.format(startedAt.atZone(ZoneId.systemDefault()));
        String unique = stem;
        for (int n = 2; Files.exists(dir.resolve(unique + ".json")); n++) {
            unique = stem + "-" + n;
        }
        Path json = dir.resolve(unique + ".json");
        Path hgrm = dir.resolve(unique + ".hgrm");
        Path html = dir.resolve(unique + ".html");
        Files.writeString(hgrm, hgrm());
        Files.writeString(html, html());
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("hgrm", hgrm);
        files.put("html", html);
        Files.writeString(json, json(files) + "\n");
        return List.of(json, hgrm, html);
    }
}
