package io.gridgate.loadtest;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The live progress line on stderr: rewritten in place with a carriage return on a terminal, one line per report
 * otherwise (a log file or a pipe gets no control characters).
 */
final class ProgressLine implements Consumer<Progress> {

    private final PrintStream out;
    private final boolean terminal;
    private int lastLength;

    ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** " 12s  49.8 req/s  errors 0  p50 1.21 ms  p99 3.40 ms", with "warm-up" instead of latency before the window. */
    static String format(Progress p) {
        String head = String.format(Locale.ROOT, "%4ds  %,9.1f req/s  errors %,d", p.elapsed().toSeconds(),
                p.responsesPerSecond(), p.errors());
        if (p.warmingUp()) {
            return head + "  warm-up";
        }
        return head + String.format(Locale.ROOT, "  p50 %s  p99 %s", LoadReport.micros(p.p50Micros()),
                LoadReport.micros(p.p99Micros()));
    }

    @Override
    public void accept(Progress p) {
        String line = format(p);
        if (terminal) {
            // Spaces over whatever the previous, longer line left behind.
            out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the line being rewritten, so the next output starts on a line of its own. */
    void finish() {
        if (terminal && lastLength > 0) {
            out.println();
            lastLength = 0;
        }
    }
}
