package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whole report outputs, kept as files beside the tests, so that a change to how a report is put together is proven
 * not to change a byte of what it prints or writes. A deliberate change of output rewrites them: run the tests once
 * with {@code GOLDEN_WRITE=1} and read the diff.
 */
final class Golden {

    private static final Path DIR = Path.of("src/test/resources/golden");

    private Golden() {
    }

    /** The table, then the JSON, of one report, as one file {@code name}. */
    static void assertReport(String name, String table, String json) throws IOException {
        String actual = table + "\n=== json ===\n" + json + "\n";
        Path file = DIR.resolve(name);
        if ("1".equals(System.getenv("GOLDEN_WRITE"))) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual);
        }
        assertThat(file).as("golden file %s (GOLDEN_WRITE=1 writes it)", file).exists();
        assertThat(actual).isEqualTo(Files.readString(file));
    }
}
