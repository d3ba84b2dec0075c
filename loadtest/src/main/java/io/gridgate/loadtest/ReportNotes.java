package io.gridgate.loadtest;

import java.util.Locale;

/** The notes and legend text every scenario's report shares: idle and noisy runs, and what "other" and "noisy" mean. */
final class ReportNotes {

    private ReportNotes() {
    }

    /**
     * Notes a target whose runs left the shared core idle and the runs others disturbed.
     *
     * @param idleMeans   what an idle core means for this scenario's figures, e.g. "the route waited rather than
     *                    worked, so 1/X-1/P overstates its CPU cost"
     * @param noisyMeans  what noisy runs mean for its ratios, e.g. "the ratios are less certain, see the noisy
     *                    column and the JSON"
     */
    static void idleAndNoisy(StringBuilder t, BenchmarkResults results, CpuPinning pinning, String idleMeans,
                             String noisyMeans) {
        int noisy = 0;
        for (TargetSummary s : results.summaries().values()) {
            noisy += s.noisyRounds();
            if (pinning.mode() == CpuPinning.Mode.ONE_CPU && s.loadCpuBusy() < BenchmarkReport.SATURATED_CORE) {
                t.append(String.format(Locale.ROOT, "note: CPU%d was only %s busy in %s's runs: %s%n",
                        pinning.loadCpu(), BenchmarkReport.percent(s.loadCpuBusy()), s.target(), idleMeans));
            }
        }
        if (noisy > 0) {
            t.append(String.format(Locale.ROOT, "note: %d of %d runs were noisy (others used the cores they ran on);"
                    + " %s%n", noisy, results.saturation().size() + results.latency().size(), noisyMeans));
        }
    }

    /** One line per run that had errors or hit the request cap. */
    static void flagged(StringBuilder t, BenchmarkResults results) {
        for (Measurement m : results.flagged()) {
            t.append(String.format(Locale.ROOT, "FLAGGED %s round %d (%s): errors %s%s%n", m.target(), m.round(),
                    m.result().pacing(), m.result().errors(), m.result().capped() ? ", request cap hit" : ""));
        }
    }

    /** The end of every legend: what "other", "noisy" and "flagged" mean under this pinning. */
    static String legendTail(CpuPinning pinning) {
        String other = switch (pinning.mode()) {
            case ONE_CPU -> "other = time on the shared core used by none of the benchmark's processes";
            case SPLIT -> "other = core time not used by the processes pinned there";
            case NONE -> "unpinned: no per-core figures";
        };
        return other + " (median over runs); noisy = runs where others took > "
                + Math.round(CoreUsage.NOISY_FOREIGN_SHARE * 100) + "% of a core they depend on, or > "
                + Math.round(CoreUsage.NOISY_FOREIGN_PEAK * 100) + "% in any 100 ms; flagged = runs with errors\n";
    }
}
