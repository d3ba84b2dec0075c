package io.gridgate.node.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Whatever the input, the loader answers with a config or a ConfigException, never anything else. */
class ConfigFuzzTest {

    private static final String[] FRAGMENTS = {
        "{", "}", "[", "]", ":", ": ", "- ", "\n", "  ", "\t", "\"", "'", "*a", "&a ", "!!binary ", "? ", "---\n",
        "~", "null", "-1", "0", "99999999999999999999", "1.5", "yes", "\\", "{id}", "//", "%", "#", "|\n", ">",
        "<<: ", "\u0000", "\uD83D\uDE00", "\uD800", "http://", "0s", "-2s", "path", "upstream", "routes",
    };

    @TempDir
    Path dir;

    @Test
    void randomMutationsOfAValidFileEndInAConfigOrAConfigException() throws Exception {
        Path keyStore = Files.writeString(dir.resolve("tls.p12"), "x");
        String valid = ConfigLoaderTest.full(keyStore);
        ConfigLoader.parse("gridgate.yaml", valid, Map.of());
        Random random = new Random(20_240_601L);
        int failures = 0;
        for (int i = 0; i < 3000; i++) {
            String mutated = mutate(valid, random, 1 + random.nextInt(4));
            try {
                ConfigLoader.parse("gridgate.yaml", mutated, Map.of("GRIDGATE_CLUSTER_MEMBERS", "a,,b:0"));
            } catch (ConfigException e) {
                failures++;
                assertThat(e.errors()).isNotEmpty();
                assertThat(e.getMessage()).doesNotContain("Exception:");
            } catch (RuntimeException | StackOverflowError e) {
                fail("input #" + i + " threw " + e + " for:\n" + mutated, e);
            }
        }
        assertThat(failures).isGreaterThan(0);
    }

    @Test
    void deeplyNestedInputIsAnErrorNotACrash() {
        String deep = "a: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
        String deepMaps = "a:\n" + String.join("", java.util.stream.IntStream.range(1, 300)
                .mapToObj(n -> " ".repeat(n) + "b:\n").toList());
        for (String text : List.of(deep, deepMaps)) {
            try {
                ConfigLoader.parse("gridgate.yaml", text, Map.of());
                fail("expected a ConfigException");
            } catch (ConfigException e) {
                assertThat(e.errors()).hasSize(1);
            }
        }
    }

    private static String mutate(String text, Random random, int times) {
        String out = text;
        for (int i = 0; i < times; i++) {
            int at = random.nextInt(out.length() + 1);
            switch (random.nextInt(5)) {
                case 0 -> out = out.substring(0, at) + FRAGMENTS[random.nextInt(FRAGMENTS.length)] + out.substring(at);
                case 1 -> out = out.substring(0, at) + out.substring(Math.min(out.length(), at + 1 + random.nextInt(8)));
                case 2 -> out = swapLines(out, random);
                case 3 -> out = out.substring(0, at) + (char) random.nextInt(128) + out.substring(at);
                default -> out = duplicateLine(out, random);
            }
        }
        return out;
    }

    private static String swapLines(String text, Random random) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int a = random.nextInt(lines.size());
        int b = random.nextInt(lines.size());
        String line = lines.get(a);
        lines.set(a, lines.get(b));
        lines.set(b, line);
        return String.join("\n", lines);
    }

    private static String duplicateLine(String text, Random random) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int a = random.nextInt(lines.size());
        lines.add(a, lines.get(a));
        return String.join("\n", lines);
    }
}
