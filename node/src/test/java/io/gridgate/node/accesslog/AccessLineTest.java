package io.gridgate.node.accesslog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void timesAreIsoInstantsInUtcWithMillisecondsAlsoWithinOneSecond() throws Exception {
        long base = Instant.parse("2026-11-26T15:11:59Z").toEpochMilli();
        for (long offset : new long[] {0, 7, 42, 376, 999, 1000, 1001, -1}) {
            String line = text(new AccessLine().time(base + offset));
            Instant parsed = Instant.parse(JSON.readTree(line).get("time").asText());
            assertThat(parsed.toEpochMilli()).as(line).isEqualTo(base + offset);
            assertThat(JSON.readTree(line).get("time").asText()).hasSize("2026-11-26T15:11:59.000Z".length());
        }
        assertThat(text(new AccessLine().time(0))).isEqualTo("{\"time\":\"1970-01-01T00:00:00.000Z\"}");
    }

    @Test
    void valuesThatNeedEscapingAreEscapedAndPlainOnesWrittenAsTheyAre() throws Exception {
        String hostile = "a\"b\\c\nd\u0001é☃";
        String line = text(new AccessLine().text("plain", "GET").text("hostile", hostile).text("none", null)
                .number("status", 200).millis("ms", 12_345_678));
        JsonNode node = JSON.readTree(line);
        assertThat(node.get("plain").asText()).isEqualTo("GET");
        assertThat(node.get("hostile").asText()).isEqualTo(hostile);
        assertThat(node.get("none").isNull()).isTrue();
        assertThat(node.get("status").asInt()).isEqualTo(200);
        assertThat(line).contains("\"ms\":12.345");
    }

    @Test
    void numbersOfEveryLengthAndSignAndDurationsOfEveryFraction() throws Exception {
        long[] values = {0, 7, 10, 99, 100, 65_535, 1_000_000_007L, Long.MAX_VALUE, -1, -42, Long.MIN_VALUE};
        for (long value : values) {
            assertThat(JSON.readTree(text(new AccessLine().number("n", value))).get("n").asLong()).isEqualTo(value);
        }
        assertThat(text(new AccessLine().count("bytes", -1).count("more", 5))).isEqualTo("{\"bytes\":null,\"more\":5}");
        assertThat(text(new AccessLine().millis("a", 0).millis("b", 1_000).millis("c", 45_006_000).millis("d", -1)))
                .isEqualTo("{\"a\":0.000,\"b\":0.001,\"c\":45.006,\"d\":null}");
    }

    @Test
    void aLineEndsWithItsNewlineAndALongOneGrowsItsBuffer() {
        String long1 = "x".repeat(5_000);
        byte[] line = new AccessLine().text("path", long1).text("agent", "é".repeat(300)).end();
        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        assertThat(new String(line, StandardCharsets.UTF_8))
                .isEqualTo("{\"path\":\"" + long1 + "\",\"agent\":\"" + "é".repeat(300) + "\"}\n");
    }

    /** The line without its newline, as text. */
    private static String text(AccessLine line) {
        byte[] bytes = line.end();
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '\n');
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
    }
}
