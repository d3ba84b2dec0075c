package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObservedNodeTest {

    @Test
    void countsTheLinesOfAGrowingAccessLogReadingOnlyWhatWasAdded(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("access.log");
        ObservedNode.LineCounter lines = new ObservedNode.LineCounter(log);

        assertThat(lines.lines()).isZero(); // not written yet
        Files.writeString(log, "a\nb\n");
        assertThat(lines.lines()).isEqualTo(2);
        Files.writeString(log, "c\n".repeat(100_000), StandardOpenOption.APPEND);
        assertThat(lines.lines()).isEqualTo(100_002);
        assertThat(lines.lines()).isEqualTo(100_002);
    }

    @Test
    void followsTheAccessLogWhenTheNodeRotatesIt(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("access.log");
        ObservedNode.LineCounter lines = new ObservedNode.LineCounter(log);
        Files.writeString(log, "a\nb\n");
        assertThat(lines.lines()).isEqualTo(2);

        Files.writeString(log, "c\nd\ne\n", StandardOpenOption.APPEND);
        Files.move(log, dir.resolve("access.log.1"));
        Files.writeString(log, "f\ng\nh\ni\n");

        assertThat(lines.lines()).isEqualTo(9);
        Files.writeString(log, "j\n", StandardOpenOption.APPEND);
        assertThat(lines.lines()).isEqualTo(10);
    }
}
