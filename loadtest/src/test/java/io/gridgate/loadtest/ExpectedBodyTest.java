package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExpectedBodyTest {

    private static final ExpectedBody MERGED = ExpectedBody.of("{\"a\": {\"x\": 1}, \"b\": [1, 2]}");

    @Test
    void comparesWithoutWhitespaceOnEitherSide() {
        assertThat(MERGED.text()).isEqualTo("{\"a\":{\"x\":1},\"b\":[1,2]}");
        assertThat(MERGED.matches("{\"a\":{\"x\":1},\"b\":[1,2]}")).isTrue();
        assertThat(MERGED.matches("{\n  \"a\" : {\"x\":1},\r\n\t\"b\":[1, 2]\n}\n")).isTrue();
    }

    @Test
    void refusesAnotherOrderAMissingMemberAndAnythingAfterTheEnd() {
        assertThat(MERGED.matches("{\"b\":[1,2],\"a\":{\"x\":1}}")).isFalse();
        assertThat(MERGED.matches("{\"a\":{\"x\":1}}")).isFalse();
        assertThat(MERGED.matches("{\"a\":{\"x\":1},\"b\":[1,2]}{}")).isFalse();
        assertThat(MERGED.matches("")).isFalse();
    }

    @Test
    void refusesAnExpectedBodyWithWhitespaceInsideAStringWhichTheComparisonWouldSkip() {
        assertThatThrownBy(() -> ExpectedBody.of("{\"name\": \"Ada Lovelace\"}"))
                .hasMessage("expected body: {\"name\": \"Ada Lovelace\"} (expected: JSON without whitespace inside"
                        + " its strings, which the comparison skips)");
        assertThat(ExpectedBody.of("{\"quote\": \"a\\\"b\", \"c\": 1}").text()).isEqualTo("{\"quote\":\"a\\\"b\",\"c\":1}");
    }

    @Test
    void theParserChecksEachBodyAsItArrivesInPiecesAndStartsOverForTheNext() throws Exception {
        ResponseParser parser = new ResponseParser(MERGED);
        String right = "HTTP/1.1 200 OK\r\nContent-Length: 26\r\n\r\n{\"a\":{\"x\":1}, \"b\":[1,2]}\r\n";
        for (int cut = 1; cut < right.length(); cut++) {
            parser.reset();
            assertThat(parser.feed(bytes(right.substring(0, cut)))).isFalse();
            assertThat(parser.feed(bytes(right.substring(cut)))).isTrue();
            assertThat(parser.bodyAsExpected()).as("cut at %d", cut).isTrue();
        }

        parser.reset();
        assertThat(parser.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n{\"a\":{\"x\":1}}"))).isTrue();
        assertThat(parser.bodyAsExpected()).as("a member short").isFalse();
    }

    @Test
    void theParserChecksChunkedBodiesAcrossChunks() throws Exception {
        ResponseParser parser = new ResponseParser(MERGED);

        assertThat(parser.feed(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "8\r\n{\"a\":{\"x\r\nF\r\n\":1},\"b\":[1,2]}\r\n0\r\n\r\n"))).isTrue();
        assertThat(parser.bodyAsExpected()).isTrue();
    }

    @Test
    void aParserWithoutAnExpectedBodyTakesAnyBody() throws Exception {
        ResponseParser parser = new ResponseParser();

        assertThat(parser.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"))).isTrue();
        assertThat(parser.bodyAsExpected()).isTrue();
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
