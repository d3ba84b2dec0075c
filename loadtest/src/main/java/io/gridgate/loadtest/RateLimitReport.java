package io.gridgate.loadtest;

import static io.gridgate.loadtest.BenchmarkReport.num;

import io.gridgate.loadtest.BenchmarkReport.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a run of the rate-limit scenario ({@link RateLimitScenario}): throughput of the plain, leased and exact
 * routes, their ratios to plain, and grid round trips per request, as the console table and as JSON.
 */
final class RateLimitReport {

    /** What leased/plain throughput should reach, and the least it may. */
    static final double LEASED_TARGET = 0.85;
    static final double LEASED_FLOOR = 0.75;

    private RateLimitReport() {
    }

    /** The table printed at the end of a run. */
    static String table(BenchmarkResults results) {
        BenchmarkOptions o = results.options();
        CpuPinning pinning = CpuPinning.of(o);
        Map<String, TargetSummary> summaries = results.summaries();
        StringBuilder t = new StringBuilder();
        ReportParts.header(t, "Rate-limit benchmark", "rounds", o, pinning.describe());
        t.append(String.format(Locale.ROOT, "one Gridgate node, routes %s; one key (clientIp: all load comes from"
                        + " 127.0.0.1), %,d permits/s, which never refuses: the runs measure the cost of checking.%n"
                        + "One node, so the grid is in-process (the member owns every partition): a grid round trip"
                        + " is an in-JVM operation on a partition thread, not a network hop.%n",
                routes(o.leaseSize()), RateLimitScenario.PERMITS_PER_SECOND));

        ReportParts.throughput(t, results, columns(results, pinning));

        t.append('\n');
        double leased = results.throughputRatio("leased", "plain");
        t.append(String.format(Locale.ROOT, "leased/plain = %s  (target >= %.2f, floor %.2f): %s%n",
                num(leased, "%.2f"), LEASED_TARGET, LEASED_FLOOR, verdict(leased)));
        t.append(String.format(Locale.ROOT, "exact/plain  = %s%n", num(results.throughputRatio("exact", "plain"),
                "%.2f")));
        t.append(roundTrips(summaries, o.leaseSize())).append('\n');
        notes(t, results, pinning);
        t.append(legend(pinning));
        ReportNotes.flagged(t, results);
        return t.toString();
    }

    /** How leased/plain compares with the target and the floor. */
    static String verdict(double leasedOverPlain) {
        if (!Double.isFinite(leasedOverPlain)) {
            return "not measured";
        }
        if (leasedOverPlain >= LEASED_TARGET) {
            return "meets the target";
        }
        return leasedOverPlain >= LEASED_FLOOR ? "below the target, above the floor" : "BELOW THE FLOOR";
    }

    /**
     * Grid round trips per request of the limited routes: measured where the node's map statistics could be read,
     * otherwise derived from the modes (1 for exact, 1/leaseSize for leased), and labelled either way.
     */
    static String roundTrips(Map<String, TargetSummary> summaries, int leaseSize) {
        List<String> parts = new ArrayList<>();
        boolean measured = true;
        for (TargetSummary s : summaries.values()) {
            double trips = s.gridRoundTripsPerRequest();
            measured &= Double.isFinite(trips);
            parts.add(s.target() + " " + num(trips, "%.4f"));
        }
        if (measured && !summaries.isEmpty()) {
            return String.format(Locale.ROOT, "grid round trips per request, measured (writes to the node's rate-limit"
                    + " counters from its Hazelcast map statistics, over warm-up and window): %s; 1/leaseSize = %.4f",
                    String.join(", ", parts), 1.0 / leaseSize);
        }
        return String.format(Locale.ROOT, "grid round trips per request, DERIVED, not measured (the node's map"
                + " statistics could not be read): plain 0, leased about 1/leaseSize = %.4f, exact 1", 1.0 / leaseSize);
    }

    private static List<Column> columns(BenchmarkResults results, CpuPinning pinning) {
        double plain = results.rps("plain");
        List<Column> columns = new ArrayList<>(ReportParts.leadingColumns("route", "%-7s"));
        columns.add(ReportParts.relativeColumn("/plain", " %6s", plain));
        columns.addAll(ReportParts.addedColumn(pinning, "1/X-1/P us", "plain", plain, "%.2f"));
        columns.addAll(ReportParts.cpuColumns("node CPU us/req", " %15s"));
        columns.add(ReportParts.gridTripsColumn());
        columns.addAll(ReportParts.closingColumns(pinning));
        return columns;
    }

    private static void notes(StringBuilder t, BenchmarkResults results, CpuPinning pinning) {
        ReportNotes.idleAndNoisy(t, results, pinning, "the route waited rather than worked, so 1/X-1/P overstates"
                + " its CPU cost", "the ratios are less certain, see the noisy column and the JSON");
    }

    private static String legend(CpuPinning pinning) {
        return "legend: /plain = throughput over the unlimited route's; 1/X-1/P = time a limit check adds per request,"
                + " from throughput (its CPU cost, on one CPU); node CPU = node process time / responses; load CPU ="
                + " generator+backend JVM time / responses; grid trips = rate-limit counter writes / responses; "
                + ReportNotes.legendTail(pinning);
    }

    private static String routes(int leaseSize) {
        List<String> routes = new ArrayList<>();
        for (String route : RateLimitScenario.ROUTES) {
            routes.add("/" + route + " (" + RateLimitScenario.describe(route, leaseSize) + ")");
        }
        return String.join(", ", routes);
    }

    static String json(BenchmarkResults results) {
        BenchmarkOptions o = results.options();
        Map<String, TargetSummary> summaries = results.summaries();
        JsonWriter w = ReportParts.beginJson(results);
        w.name("routes").beginObject();
        for (String route : RateLimitScenario.ROUTES) {
            w.name(route).value("/" + route + ": " + RateLimitScenario.describe(route, o.leaseSize()));
        }
        w.endObject();
        w.name("permitsPerSecond").value(RateLimitScenario.PERMITS_PER_SECOND);
        ReportParts.summaries(w, results);
        double leased = results.throughputRatio("leased", "plain");
        w.name("ratios").beginObject()
                .name("leasedOverPlain").value(leased)
                .name("exactOverPlain").value(results.throughputRatio("exact", "plain"))
                .name("leasedTarget").value(LEASED_TARGET)
                .name("leasedFloor").value(LEASED_FLOOR)
                .name("leasedVerdict").value(verdict(leased))
                .name("leasedAddedMicrosPerRequest").value(added(results, "leased"))
                .name("exactAddedMicrosPerRequest").value(added(results, "exact"))
                .name("addedMicrosIsCpuCost").value(o.pinning() == CpuPinning.Mode.ONE_CPU)
                .endObject();
        boolean measured = !summaries.isEmpty() && summaries.values().stream()
                .allMatch(s -> Double.isFinite(s.gridRoundTripsPerRequest()));
        w.name("gridRoundTripsPerRequest").beginObject()
                .name("source").value(measured ? "measured: rate-limit counter writes from the node's Hazelcast map"
                        + " statistics (JMX), over warm-up and window" : "derived from the modes, not measured")
                .name("leased").value(measured ? results.gridTrips("leased") : 1.0 / o.leaseSize())
                .name("exact").value(measured ? results.gridTrips("exact") : 1.0)
                .name("leasedExpected").value(1.0 / o.leaseSize())
                .endObject();
        ReportParts.runs(w, results);
        return w.endObject().toString();
    }

    private static double added(BenchmarkResults results, String route) {
        return CostRatio.addedMicrosPerRequest(results.rps("plain"), results.rps(route));
    }
}
