package io.gridgate.loadtest;

import static io.gridgate.loadtest.BenchmarkReport.num;
import static io.gridgate.loadtest.BenchmarkReport.percent;
import static io.gridgate.loadtest.BenchmarkReport.seconds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a run of the compose scenario ({@link ComposeScenario}): per target, latency percentiles at the fixed rate
 * over all its rounds' requests together, and the figures of issue 10, composed minus direct-slowest ("the latency
 * added over the slowest upstream", whose p99 is judged against its target as the median of the paired rounds) and
 * composed minus proxy-slowest (what composing adds beyond a proxy hop), as differences per round and over all
 * requests, and as ratios, as the console table and as JSON.
 */
final class ComposeReport {

    /** The percentiles reported per target. */
    static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private ComposeReport() {
    }

    /** Per target, in the scenario's order, its latency runs taken together. */
    static Map<String, ComposeLatency> latencies(BenchmarkResults results) {
        Map<String, ComposeLatency> latencies = new LinkedHashMap<>();
        for (String target : results.options().targets()) {
            latencies.put(target, ComposeLatency.of(runs(results, target)));
        }
        return latencies;
    }

    /** {@code a}'s percentile minus {@code b}'s, in microseconds; NaN unless both were measured. */
    static double difference(Map<String, ComposeLatency> latencies, String a, String b, double percentile) {
        return micros(latencies, a, percentile) - micros(latencies, b, percentile);
    }

    /** {@code a}'s percentile over {@code b}'s; NaN unless both were measured. */
    static double ratio(Map<String, ComposeLatency> latencies, String a, String b, double percentile) {
        return micros(latencies, a, percentile) / micros(latencies, b, percentile);
    }

    /**
     * One round's p99 of a target minus the same round's p99 of another: the rounds interleave the targets, so a
     * round's two runs saw the same machine.
     *
     * @param noisy whether others used the core during either run (see {@link CoreUsage#noisy()})
     */
    record Pair(int round, double p99DifferenceMicros, boolean noisy) {
    }

    /** {@code a} against {@code b}, round by round, in round order. */
    static List<Pair> pairs(BenchmarkResults results, String a, String b) {
        List<Measurement> bs = runs(results, b);
        List<Pair> pairs = new ArrayList<>();
        for (Measurement m : runs(results, a)) {
            bs.stream().filter(other -> other.round() == m.round()).findFirst().ifPresent(other -> pairs.add(
                    new Pair(m.round(), m.result().latencyMicros(99) - other.result().latencyMicros(99),
                            m.cpu().noisy() || other.cpu().noisy())));
        }
        return pairs;
    }

    /**
     * The median of the pairs' p99 differences, leaving out noisy ones; NaN if all are. The figure the verdict reads:
     * one round disturbed by others (or by the node still compiling) cannot move it, while it can own the p99 of all
     * requests together, and a noisy round is left out because the noise lands on one of its two runs.
     */
    static double medianP99Difference(List<Pair> pairs) {
        return TargetSummary.median(pairs.stream().filter(p -> !p.noisy()).mapToDouble(Pair::p99DifferenceMicros)
                .toArray());
    }

    /**
     * How the median of composed p99 minus direct-slowest p99 over the quiet rounds compares with its target; none
     * when a run had errors (the {@code trusted} flag) or every round was noisy.
     */
    static String verdict(List<Pair> pairs, boolean trusted) {
        if (pairs.isEmpty()) {
            return "not measured";
        }
        if (!trusted) {
            return "NO VERDICT: runs had errors, see FLAGGED below";
        }
        double added = medianP99Difference(pairs);
        if (Double.isNaN(added)) {
            return "NO VERDICT: every round was noisy";
        }
        return added <= ComposeScenario.ADDED_P99_TARGET.toNanos() / 1000.0 ? "meets the target" : "ABOVE THE TARGET";
    }

    /** The table printed at the end of a run. */
    static String table(BenchmarkResults results) {
        BenchmarkOptions o = results.options();
        CpuPinning pinning = CpuPinning.of(o);
        Map<String, ComposeLatency> latencies = latencies(results);
        Duration delay = o.upstreamDelay();
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%nCompose benchmark: %d rounds, interleaved %s; open loop at %s req/s;"
                        + " %d connections; %ss warm-up + %ss per run%npinning %s%n",
                o.rounds(), String.join(",", o.targets()), num(o.rate(), "%,.0f"), o.connections(),
                seconds(o.warmup()), seconds(o.duration()), pinning.describe()));
        t.append(String.format(Locale.ROOT, "upstreams in the benchmark JVM: /fast-a and /fast-b answer after %s,"
                        + " /slowest after %s (one scheduled executor)%n", ComposeScenario.millis(delay),
                ComposeScenario.millis(slowest(delay))));
        for (String target : o.targets()) {
            t.append(String.format(Locale.ROOT, "  %-15s %s%n", target, ComposeScenario.describe(target, delay)));
        }
        latencyRows(t, results, latencies, pinning);
        t.append('\n');
        figures(t, results, latencies);
        bodies(t, latencies);
        notes(t, results, latencies);
        t.append(legend(pinning));
        ReportNotes.flagged(t, results);
        return t.toString();
    }

    private static void latencyRows(StringBuilder t, BenchmarkResults results, Map<String, ComposeLatency> latencies,
            CpuPinning pinning) {
        t.append(String.format(Locale.ROOT, "%nLatency at %s req/s, open loop, from each request's due time, all %d"
                        + " rounds' requests together, milliseconds%n", num(results.rate(), "%,.0f"),
                results.options().rounds()));
        String cpu = pinning.enabled() ? "CPU" + pinning.loadCpu() + " busy" : "core busy";
        String format = "%-15s %7s %7s %7s %7s %7s %7s %15s %12s %12s %15s %10s%n";
        t.append(String.format(Locale.ROOT, format, "target", "req/s", "p50", "p90", "p99", "p99.9", "max",
                "p99 by round", "send-lag p99", "backend/resp", "node CPU us/req", cpu));
        latencies.forEach((target, l) -> t.append(String.format(Locale.ROOT, format, target,
                num(l.rate(), "%,.0f"), ms(l.micros(50)), ms(l.micros(90)), ms(l.micros(99)), ms(l.micros(99.9)),
                ms(l.maxMicros()), range(l.p99ByRound()), ms(l.sendLagP99Micros()),
                num(l.backendPerResponse(), "%.3f"), num(l.nodeCpuMicrosPerRequest(), "%.0f"),
                percent(l.loadCpuBusy()))));
    }

    private static void figures(StringBuilder t, BenchmarkResults results, Map<String, ComposeLatency> latencies) {
        String composed = ComposeScenario.COMPOSED;
        String direct = ComposeScenario.DIRECT;
        String proxy = ComposeScenario.PROXY;
        List<Pair> added = pairs(results, composed, direct);
        t.append(String.format(Locale.ROOT, "added latency over the slowest upstream, composed p99 - direct-slowest"
                        + " p99, median of %s: %s ms (target <= %s ms): %s%n", rounds(added),
                signedMs(medianP99Difference(added)), ms(ComposeScenario.ADDED_P99_TARGET.toNanos() / 1000.0),
                verdict(added, trusted(results))));
        together(t, latencies, composed, direct);
        List<Pair> beyondProxy = pairs(results, composed, proxy);
        t.append(String.format(Locale.ROOT, "composition beyond a proxy hop, composed - proxy-slowest: p99 median of"
                        + " %s: %s ms%n", rounds(beyondProxy), signedMs(medianP99Difference(beyondProxy))));
        together(t, latencies, composed, proxy);
        List<Pair> hop = pairs(results, proxy, direct);
        t.append(String.format(Locale.ROOT, "the proxy hop, proxy-slowest - direct-slowest: p99 median of %s: %s"
                        + " ms%n", rounds(hop), signedMs(medianP99Difference(hop))));
        together(t, latencies, proxy, direct);
        Duration delay = results.options().upstreamDelay();
        double slowest = slowest(delay).toNanos() / 1000.0;
        double inARow = (delay.toNanos() * 2 + slowest(delay).toNanos()) / 1000.0;
        double p50 = micros(latencies, composed, 50);
        t.append(String.format(Locale.ROOT, "in parallel: composed p50 %s ms = %s x the slowest call (%s), %s x the"
                        + " three calls one after another (%s)%n", ms(p50), num(p50 / slowest, "%.3f"),
                ComposeScenario.millis(slowest(delay)), num(p50 / inARow, "%.2f"),
                ComposeScenario.millis(Duration.ofNanos((long) (inARow * 1000)))));
    }

    /**
     * Which rounds a median is of, and all of them: {@code "the 4 quiet paired rounds (1 noisy left out; rounds +0.90
     * to +3.62, all +0.85 to +3.62)"}.
     */
    private static String rounds(List<Pair> pairs) {
        List<Double> quiet = pairs.stream().filter(p -> !p.noisy()).map(Pair::p99DifferenceMicros).toList();
        List<Double> all = pairs.stream().map(Pair::p99DifferenceMicros).toList();
        int noisy = all.size() - quiet.size();
        return String.format(Locale.ROOT, "the %d quiet paired rounds (%s%s)", quiet.size(),
                noisy == 0 ? "" : noisy + " noisy left out; ", noisy == 0 ? signedRange(quiet)
                        : signedRange(quiet) + ", all " + signedRange(all).replace("range ", ""));
    }

    /** The line of {@code a} against {@code b} with all rounds' requests together: differences and ratios. */
    private static void together(StringBuilder t, Map<String, ComposeLatency> latencies, String a, String b) {
        t.append(String.format(Locale.ROOT, "  all rounds' requests together: p50 %s, p90 %s, p99 %s, p99.9 %s ms;"
                        + " %s / %s: p50 %s, p99 %s%n",
                signedMs(difference(latencies, a, b, 50)), signedMs(difference(latencies, a, b, 90)),
                signedMs(difference(latencies, a, b, 99)), signedMs(difference(latencies, a, b, 99.9)), a, b,
                num(ratio(latencies, a, b, 50), "%.3f"), num(ratio(latencies, a, b, 99), "%.3f")));
    }

    private static void bodies(StringBuilder t, Map<String, ComposeLatency> latencies) {
        List<String> parts = new ArrayList<>();
        long wrong = 0;
        for (Map.Entry<String, ComposeLatency> e : latencies.entrySet()) {
            parts.add(String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue().responses()));
            wrong += e.getValue().errors().wrongBodies();
        }
        t.append(String.format(Locale.ROOT, "bodies checked, every response (warm-ups included): %s; wrong: %,d%s%n",
                String.join(", ", parts), wrong, wrong > 0 ? "  WRONG BODIES: counted as errors" : ""));
    }

    private static void notes(StringBuilder t, BenchmarkResults results, Map<String, ComposeLatency> latencies) {
        int noisy = latencies.values().stream().mapToInt(ComposeLatency::noisyRounds).sum();
        if (noisy > 0) {
            t.append(String.format(Locale.ROOT, "note: %d of %d runs were noisy (others used the cores they ran on):"
                    + " their tails may be someone else's, see the JSON%n", noisy, results.latency().size()));
        }
        ComposeLatency composed = latencies.get(ComposeScenario.COMPOSED);
        if (composed != null && composed.backendPerResponse() < ComposeBackend.PATHS.size() * 0.999) {
            t.append(String.format(Locale.ROOT, "note: composed made %s upstream requests per response, fewer than"
                    + " %d%n", num(composed.backendPerResponse(), "%.3f"), ComposeBackend.PATHS.size()));
        }
    }

    private static String legend(CpuPinning pinning) {
        return "legend: latency counts from each request's due time (coordinated omission corrected), to"
                + " HdrHistogram's 3 significant digits (about 0.02 ms at 25 ms); p99 by round = lowest-highest of the"
                + " rounds' own p99; the verdict reads the median of the quiet rounds' paired p99 differences, which"
                + " one disturbed round cannot move; backend/resp = upstream requests / responses (1 for the slowest, 3 for composed);"
                + " node CPU = node process time / responses; " + ReportNotes.legendTail(pinning);
    }

    static String json(BenchmarkResults results) {
        BenchmarkOptions o = results.options();
        Map<String, ComposeLatency> latencies = latencies(results);
        String composed = ComposeScenario.COMPOSED;
        String direct = ComposeScenario.DIRECT;
        String proxy = ComposeScenario.PROXY;
        JsonWriter w = ReportParts.beginJson(results);
        ReportParts.targets(w, o.targets(), target -> ComposeScenario.describe(target, o.upstreamDelay()));
        w.name("upstreamDelaysMillis").beginObject();
        ComposeBackend.PATHS.forEach(path -> w.name(path)
                .value(ComposeBackend.delayOf(path, o.upstreamDelay()).toNanos() / 1e6));
        w.endObject();
        w.name("rate").value(results.rate());
        w.name("latency").beginObject();
        latencies.forEach((target, l) -> latency(w, target, l));
        w.endObject();
        List<Pair> added = pairs(results, composed, direct);
        w.name("figures").beginObject()
                .name("addedOverSlowestP99Micros").value(medianP99Difference(added))
                .name("addedOverSlowestP99Is").value("the median of the quiet rounds' paired p99 differences")
                .name("addedOverSlowestP99AllRequestsMicros").value(difference(latencies, composed, direct, 99))
                .name("composedMinusProxySlowestP99MedianOfRoundsMicros")
                .value(medianP99Difference(pairs(results, composed, proxy)))
                .name("proxySlowestMinusDirectSlowestP99MedianOfRoundsMicros")
                .value(medianP99Difference(pairs(results, proxy, direct)))
                .name("addedOverSlowestP99TargetMicros").value(ComposeScenario.ADDED_P99_TARGET.toNanos() / 1000.0)
                .name("addedOverSlowestVerdict").value(verdict(added, trusted(results)));
        differences(w, latencies, "composedMinusDirectSlowest", composed, direct);
        differences(w, latencies, "composedMinusProxySlowest", composed, proxy);
        differences(w, latencies, "proxySlowestMinusDirectSlowest", proxy, direct);
        ratios(w, latencies, "composedOverDirectSlowest", composed, direct);
        ratios(w, latencies, "composedOverProxySlowest", composed, proxy);
        pairs(w, "p99DifferenceByRoundComposedMinusDirectSlowest", added);
        pairs(w, "p99DifferenceByRoundComposedMinusProxySlowest", pairs(results, composed, proxy));
        w.endObject();
        ReportParts.runs(w, results);
        ReportParts.backendRequestsPerRun(w, results.latency());
        return w.endObject().toString();
    }

    private static void latency(JsonWriter w, String target, ComposeLatency l) {
        w.name(target).beginObject()
                .name("achievedRate").value(l.rate())
                .name("requests").value(l.latencyNanos().getTotalCount())
                .name("p50Micros").value(l.micros(50))
                .name("p90Micros").value(l.micros(90))
                .name("p99Micros").value(l.micros(99))
                .name("p999Micros").value(l.micros(99.9))
                .name("maxMicros").value(l.maxMicros())
                .name("p99ByRoundMicros").beginArray();
        l.p99ByRound().forEach(w::value);
        w.endArray()
                .name("sendLagP99Micros").value(l.sendLagP99Micros())
                .name("nodeCpuMicrosPerRequest").value(l.nodeCpuMicrosPerRequest())
                .name("loadCpuBusy").value(l.loadCpuBusy())
                .name("backendRequestsPerResponse").value(l.backendPerResponse())
                .name("responsesCheckedInclWarmup").value(l.responses())
                .name("wrongBodies").value(l.errors().wrongBodies())
                .name("errors").value(l.errors().total())
                .name("noisyRounds").value(l.noisyRounds())
                .endObject();
    }

    private static void pairs(JsonWriter w, String name, List<Pair> pairs) {
        w.name(name).beginArray();
        pairs.forEach(p -> w.beginObject()
                .name("round").value(p.round())
                .name("micros").value(p.p99DifferenceMicros())
                .name("noisy").value(p.noisy())
                .endObject());
        w.endArray();
    }

    private static void differences(JsonWriter w, Map<String, ComposeLatency> latencies, String name, String a,
            String b) {
        w.name(name + "AllRequestsMicros").beginObject();
        for (double p : PERCENTILES) {
            w.name(key(p)).value(difference(latencies, a, b, p));
        }
        w.endObject();
    }

    private static void ratios(JsonWriter w, Map<String, ComposeLatency> latencies, String name, String a, String b) {
        w.name(name).beginObject();
        for (double p : PERCENTILES) {
            w.name(key(p)).value(ratio(latencies, a, b, p));
        }
        w.endObject();
    }

    /** {@code p50}, {@code p99}, {@code p999}. */
    private static String key(double percentile) {
        return "p" + (percentile == Math.rint(percentile) ? Long.toString((long) percentile)
                : Double.toString(percentile).replace(".", ""));
    }

    /** Whether the figures can be read: no run of the targets had errors or wrong bodies. */
    private static boolean trusted(BenchmarkResults results) {
        return results.flagged().isEmpty();
    }

    private static Duration slowest(Duration delay) {
        return ComposeBackend.delayOf(ComposeBackend.SLOWEST, delay);
    }

    private static double micros(Map<String, ComposeLatency> latencies, String target, double percentile) {
        ComposeLatency l = latencies.get(target);
        return l == null ? Double.NaN : l.micros(percentile);
    }

    private static List<Measurement> runs(BenchmarkResults results, String target) {
        return results.latency().stream().filter(m -> m.target().equals(target)).toList();
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String ms(double micros) {
        return num(micros / 1000, "%.2f");
    }

    private static String signedMs(double micros) {
        return num(micros / 1000, "%+.2f");
    }

    private static String range(List<Double> micros) {
        double[] values = doubles(micros);
        if (values.length == 0) {
            return "n/a";
        }
        Arrays.sort(values);
        return ms(values[0]) + "-" + ms(values[values.length - 1]);
    }

    private static String signedRange(List<Double> micros) {
        double[] values = doubles(micros);
        if (values.length == 0) {
            return "range n/a";
        }
        Arrays.sort(values);
        return "range " + signedMs(values[0]) + " to " + signedMs(values[values.length - 1]);
    }
}
