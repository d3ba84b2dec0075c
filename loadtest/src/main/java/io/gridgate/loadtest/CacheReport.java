package io.gridgate.loadtest;

import static io.gridgate.loadtest.BenchmarkReport.num;

import io.gridgate.loadtest.BenchmarkReport.Column;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a run of the cache scenario ({@link CacheScenario}): throughput of direct, nginx, Gridgate's plain route
 * and its caching route, the cache hit over nginx and over the plain route, and whether the caching route's measured
 * requests were verifiably hits ({@link CacheHits}), as the console table and as JSON.
 */
final class CacheReport {

    /** What cached/nginx throughput should reach, and the least it may. */
    static final double TARGET = 1.5;
    static final double FLOOR = 1.0;

    private CacheReport() {
    }

    /** The table printed at the end of a run. */
    static String table(BenchmarkResults results, CacheHits hits) {
        BenchmarkOptions o = results.options();
        CpuPinning pinning = CpuPinning.of(o);
        StringBuilder t = new StringBuilder();
        ReportParts.header(t, "Cache benchmark", "rounds", o, pinning.describe());
        ReportParts.targets(t, o.targets(), CacheScenario::describe);
        ReportParts.throughput(t, results, columns(results, pinning));

        t.append('\n');
        boolean verified = hits.verified(results.saturation());
        double hitOverNginx = results.throughputRatio("cached", "nginx");
        t.append(String.format(Locale.ROOT, "cached/nginx    = %s  (target >= %.2f, floor %.2f): %s%n",
                num(hitOverNginx, "%.2f"), TARGET, FLOOR, verdict(hitOverNginx, verified)));
        t.append(String.format(Locale.ROOT, "cached/gridgate = %s  (a cache hit over the same node's plain route)%n",
                num(results.throughputRatio("cached", "gridgate"), "%.2f")));
        t.append(String.format(Locale.ROOT, "gridgate/nginx  = %s  (plain proxying; G/D = %s, C = (D/G-1)/(D/N-1) ="
                        + " %s, as in the proxy scenario)%n",
                num(results.throughputRatio("gridgate", "nginx"), "%.2f"),
                num(results.throughputRatio("gridgate", "direct"), "%.2f"), num(results.costRatio(), "%.2f")));
        t.append(String.format(Locale.ROOT, "from measured CPU per request (load + proxy, process time): cached/nginx"
                        + " = %s, cached/gridgate = %s  (others on the core do not move these: the cross-check for"
                        + " noisy runs)%n",
                num(cpuRatio(results, "cached", "nginx"), "%.2f"), num(cpuRatio(results, "cached", "gridgate"),
                        "%.2f")));
        hitLines(t, results, hits, verified);
        notes(t, results, pinning);
        t.append(legend(pinning));
        ReportNotes.flagged(t, results);
        return t.toString();
    }

    /** How cached/nginx compares with the target and the floor; no verdict for hits that were not verified. */
    static String verdict(double cachedOverNginx, boolean hitsVerified) {
        if (!Double.isFinite(cachedOverNginx)) {
            return "not measured";
        }
        if (!hitsVerified) {
            return "NOT A CACHE-HIT FIGURE: the hits were not verified, see below";
        }
        if (cachedOverNginx >= TARGET) {
            return "meets the target";
        }
        return cachedOverNginx >= FLOOR ? "below the target, above the floor" : "BELOW THE FLOOR";
    }

    /**
     * Throughput of {@code a} over {@code b} as the measured CPU time per request predicts it on one saturated core:
     * {@code (load_b + proxy_b) / (load_a + proxy_a)}, the proxy's counted as 0 for direct. Others' use of the core
     * lowers a run's throughput but not its CPU time per request, so on a noisy machine this is the steadier reading.
     */
    static double cpuRatio(BenchmarkResults results, String a, String b) {
        return cpuPerRequest(results, b) / cpuPerRequest(results, a);
    }

    private static double cpuPerRequest(BenchmarkResults results, String target) {
        return results.summary(target)
                .map(s -> s.loadCpuMicrosPerRequest()
                        + (Double.isNaN(s.proxyCpuMicrosPerRequest()) ? 0 : s.proxyCpuMicrosPerRequest()))
                .orElse(Double.NaN);
    }

    private static void hitLines(StringBuilder t, BenchmarkResults results, CacheHits hits, boolean verified) {
        CacheHits.Tally tally = CacheHits.tally(results.saturation());
        t.append(String.format(Locale.ROOT, "cache hits %s (the backend's request count decides; X-Cache is what the"
                + " node says):%n", verified ? "verified" : "NOT VERIFIED"));
        t.append(String.format(Locale.ROOT, "  warm-up            %s%n", hits.warmUp().describe()));
        t.append(String.format(Locale.ROOT, "  before the rounds  %s: %s%n", hits.before().describe(),
                hits.before().verdict()));
        t.append(String.format(Locale.ROOT, "  after the rounds   %s: %s%n", hits.after().describe(),
                hits.after().verdict()));
        t.append(String.format(Locale.ROOT, "  measured runs of cached: %,d of %,d responses reached the backend"
                + " (allowed: %s per response)%n", tally.backendRequests(), tally.responses(),
                num(CacheSample.MAX_BACKEND_SHARE, "%.3f")));
        for (Measurement m : CacheHits.missedRuns(results.saturation())) {
            t.append(String.format(Locale.ROOT, "  MISSES: cached round %d sent %s backend requests per response:"
                    + " its throughput is not a cache-hit figure%n", m.round(),
                    num(m.backendRequestsPerResponse(), "%.4f")));
        }
        if (verified && !hits.labelled()) {
            t.append("note: the backend saw none of the sampled requests, but not every answer said X-Cache: HIT;"
                    + " served from the cache by the backend's count, labelled otherwise\n");
        }
    }

    private static List<Column> columns(BenchmarkResults results, CpuPinning pinning) {
        double direct = results.rps("direct");
        Map<String, Double> backend = maxBackendShare(results.saturation());
        List<Column> columns = new ArrayList<>(ReportParts.leadingColumns("target", "%-9s"));
        columns.add(ReportParts.relativeColumn("/direct", " %7s", direct));
        columns.add(ReportParts.relativeColumn("/nginx", " %6s", results.rps("nginx")));
        columns.addAll(ReportParts.addedColumn(pinning, "1/X-1/D us", "direct", direct, "%.1f"));
        columns.addAll(ReportParts.cpuColumns("proxy CPU us/req", " %16s"));
        columns.add(new Column("backend/resp", " %12s", s -> num(backend.getOrDefault(s.target(), Double.NaN),
                "%.4f")));
        columns.addAll(ReportParts.closingColumns(pinning));
        return columns;
    }

    /** Per target, the most backend requests per response of any of its runs: 1 for a proxy, about 0 for hits. */
    static Map<String, Double> maxBackendShare(List<Measurement> runs) {
        Map<String, Double> max = new LinkedHashMap<>();
        for (Measurement m : runs) {
            double share = m.backendRequestsPerResponse();
            max.merge(m.target(), share, (a, b) -> Double.isNaN(a) || b > a ? b : a);
        }
        return max;
    }

    private static void notes(StringBuilder t, BenchmarkResults results, CpuPinning pinning) {
        ReportNotes.idleAndNoisy(t, results, pinning, "it waited rather than worked, so its throughput understates"
                + " what the core could do", "the ratios are less certain, see the noisy column and the JSON");
    }

    private static String legend(CpuPinning pinning) {
        return "legend: 1/X-1/D = time a hop adds per request over direct, from throughput (negative for a cache hit"
                + " that costs less than the backend it skips); proxy CPU = proxy process time / responses (the node's"
                + " for gridgate and cached: one node serves both); load CPU = generator+backend JVM time / responses;"
                + " backend/resp = backend requests / responses, the most of any run (1 for a proxy, 0 for hits); "
                + ReportNotes.legendTail(pinning);
    }

    static String json(BenchmarkResults results, CacheHits hits) {
        BenchmarkOptions o = results.options();
        JsonWriter w = ReportParts.beginJson(results);
        ReportParts.targets(w, o.targets(), CacheScenario::describe);
        w.name("cacheTtl").value(CacheScenario.TTL);
        ReportParts.summaries(w, results);
        boolean verified = hits.verified(results.saturation());
        double hitOverNginx = results.throughputRatio("cached", "nginx");
        w.name("ratios").beginObject()
                .name("cachedOverNginx").value(hitOverNginx)
                .name("cachedOverGridgate").value(results.throughputRatio("cached", "gridgate"))
                .name("gridgateOverNginx").value(results.throughputRatio("gridgate", "nginx"))
                .name("cachedOverDirect").value(results.throughputRatio("cached", "direct"))
                .name("gridgateOverDirect").value(results.throughputRatio("gridgate", "direct"))
                .name("nginxOverDirect").value(results.throughputRatio("nginx", "direct"))
                .name("costRatioC").value(results.costRatio())
                .name("cachedOverNginxFromCpu").value(cpuRatio(results, "cached", "nginx"))
                .name("cachedOverGridgateFromCpu").value(cpuRatio(results, "cached", "gridgate"))
                .name("cachedOverNginxTarget").value(TARGET)
                .name("cachedOverNginxFloor").value(FLOOR)
                .name("cachedOverNginxVerdict").value(verdict(hitOverNginx, verified))
                .endObject();
        cacheHits(w, results, hits, verified);
        ReportParts.runs(w, results);
        // Beside the runs rather than in them, so the other scenarios' JSON stays as it was.
        ReportParts.backendRequestsPerRun(w, results.saturation());
        return w.endObject().toString();
    }

    private static void cacheHits(JsonWriter w, BenchmarkResults results, CacheHits hits, boolean verified) {
        CacheHits.Tally tally = CacheHits.tally(results.saturation());
        w.name("cacheHits").beginObject()
                .name("verified").value(verified)
                .name("labelledHit").value(hits.labelled())
                .name("maxBackendRequestsPerResponse").value(CacheSample.MAX_BACKEND_SHARE);
        // The warm-up has its miss by design: no verdict for it.
        sample(w, "warmUp", hits.warmUp()).endObject();
        sample(w, "before", hits.before()).name("verdict").value(hits.before().verdict().name()).endObject();
        sample(w, "after", hits.after()).name("verdict").value(hits.after().verdict().name()).endObject();
        w.name("measuredRuns").beginObject()
                .name("backendRequests").value(tally.backendRequests())
                .name("responses").value(tally.responses())
                .name("runsWithMisses").value(CacheHits.missedRuns(results.saturation()).size())
                .endObject();
        w.endObject();
    }

    /** Opens {@code name}'s object and writes the sample's counts; the caller closes it. */
    private static JsonWriter sample(JsonWriter w, String name, CacheSample s) {
        w.name(name).beginObject()
                .name("requests").value(s.requests())
                .name("failures").value(s.failures())
                .name("hits").value(s.hits())
                .name("withAge").value(s.withAge())
                .name("backendRequests").value(s.backendRequests())
                .name("xCache").beginObject();
        s.xCache().forEach((value, count) -> w.name(value).value(count));
        return w.endObject();
    }
}
