package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private static final Progress WARMING = new Progress(Duration.ofMillis(2_100), true, 49.8, 100, 0, 0, Double.NaN,
            Double.NaN);
    private static final Progress MEASURING = new Progress(Duration.ofSeconds(12), false, 1234.5, 9_000, 3, 8_000,
            1_210, 3_400);

    @Test
    void showsWarmUpThenLatencyInTheProgressLine() {
        assertThat(ProgressLine.format(WARMING)).isEqualTo("   2s       49.8 req/s  errors 0  warm-up");
        assertThat(ProgressLine.format(MEASURING))
                .isEqualTo("  12s    1,234.5 req/s  errors 3  p50 1.21 ms  p99 3.40 ms");
    }

    @Test
    void rewritesOneLineInPlaceOnATerminalAndEndsItWhenDone() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        line.accept(MEASURING);
        line.accept(WARMING); // shorter: spaces cover the rest of the previous line
        line.finish();

        String longer = ProgressLine.format(MEASURING);
        String shorter = ProgressLine.format(WARMING);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\r" + longer + "\r" + shorter
                + " ".repeat(longer.length() - shorter.length()) + System.lineSeparator());
    }

    @Test
    void writesPlainLinesElsewhere() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        line.accept(WARMING);
        line.accept(MEASURING);
        line.finish();

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(ProgressLine.format(WARMING)
                + System.lineSeparator() + ProgressLine.format(MEASURING) + System.lineSeparator());
    }
}
