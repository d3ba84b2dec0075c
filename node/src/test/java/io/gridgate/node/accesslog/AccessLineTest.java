package io.gridgate.node.accesslog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void timesAreIsoInstantsInUtcWithMillisecondsAlsoWithinOneSecond() throws Exception {
        long base = Instant.parse("2026-11-26T15:11:59Z").toEpochMilli();
        for (long offset : new long[] {0, 7, 42, 376, 999, 1000, 1001, -1}) {
            String line = new AccessLine().time(base + offset).end();
            Instant parsed = Instant.parse(JSON.readTree(line).get("time").asText());
            assertThat(parsed.toEpochMilli()).as(line).isEqualTo(base + offset);
            assertThat(JSON.readTree(line).get("time").asText()).hasSize("2026-11-26T15:11:59.000Z".length());
        }
        assertThat(new AccessLine().time(0).end()).isEqualTo("{\"time\":\"1970-01-01T00:00:00.000Z\"}");
    }

    @Test
    void valuesThatNeedEscapingAreEscapedAndPlainOnesWrittenAsTheyAre() throws Exception {
        String hostile = "a\"b\\c\nd\u0001é☃";
        String line = new AccessLine().text("plain", "GET").text("hostile", hostile).text("none", null)
                .number("status", 200).millis("ms", 12_345_678).end();
        JsonNode node = JSON.readTree(line);
        assertThat(node.get("plain").asText()).isEqualTo("GET");
        assertThat(node.get("hostile").asText()).isEqualTo(hostile);
        assertThat(node.get("none").isNull()).isTrue();
        assertThat(node.get("status").asInt()).isEqualTo(200);
        assertThat(line).contains("\"ms\":12.345");
    }
}
