package io.gridgate.node.guard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The scanner alone: bytes in, verdict out, however the bytes are split across reads. */
class HeadScannerTest {

    private static HeadScanner scanner() {
        return new HeadScanner(65_536, 100, 8192, true);
    }

    /** The verdict after scanning the bytes in pieces of the given sizes (cycled), as "violation@request". */
    private static String verdict(byte[] bytes, int[] pieces, boolean direct) {
        HeadScanner scanner = scanner();
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(bytes.length + 16) : ByteBuffer.allocate(bytes.length + 16);
        buffer.position(7);
        buffer.put(bytes);
        int at = 7;
        for (int p = 0; at < 7 + bytes.length; p++) {
            int end = (int) Math.min(7 + bytes.length, (long) at + pieces[p % pieces.length]);
            scanner.scan(buffer, at, end);
            at = end;
        }
        return scanner.violation() == null ? "ok@" + scanner.request() : scanner.violation() + "@" + scanner.violationRequest();
    }

    private static String verdict(String text) {
        return verdict(text.getBytes(StandardCharsets.ISO_8859_1), new int[] {Integer.MAX_VALUE}, false);
    }

    static Stream<Arguments> everyFramingCase() {
        return Stream.concat(FramingTest.refused(), FramingTest.passed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyFramingCase")
    void reachesTheSameVerdictHoweverTheBytesAreSplit(String name, String request) {
        byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
        String whole = verdict(bytes, new int[] {Integer.MAX_VALUE}, false);

        assertThat(verdict(bytes, new int[] {1}, true)).as(name).isEqualTo(whole);
        assertThat(verdict(bytes, new int[] {2, 3, 5, 7}, false)).as(name).isEqualTo(whole);
        assertThat(verdict(bytes, new int[] {16 * 1024}, true)).as(name).isEqualTo(whole);
    }

    @Test
    void neverThrowsAndStaysSplitInvariantOnRandomInput() {
        String[] atoms = {"GET", "POST", " ", "  ", "/", "/a", "HTTP/1.1", "HTTP/1.0", "\r\n", "\r", "\n", ":", ": ",
            "Host: a", "Content-Length: ", "Transfer-Encoding: ", "chunked", "Upgrade: x", "0", "5", "a", "ff", ";",
            "=", "\"", "\\", "\t", "\u0000", "\u007f", "\u00e9", "hello", "X-A", ","};
        Random random = new Random(20_26);
        for (int round = 0; round < 3_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(60); i > 0; i--) {
                text.append(atoms[random.nextInt(atoms.length)]);
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
            String whole = verdict(bytes, new int[] {Integer.MAX_VALUE}, false);
            int[] pieces = {1 + random.nextInt(4), 1 + random.nextInt(9), 1 + random.nextInt(30)};
            assertThat(verdict(bytes, pieces, random.nextBoolean())).as(text.toString()).isEqualTo(whole);
        }
    }

    @Test
    void countsPipelinedRequestsAcrossBodiesItDoesNotRead() {
        String requests = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n\r\nX : \u0000\r\n\n\r\n\r\n"
                + "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n\n\n\n\r\n0\r\nT: 1\r\n\r\n"
                + "GET / HTTP/1.0\r\n\r\n";

        assertThat(verdict(requests)).isEqualTo("ok@4");
    }

    @Test
    void blamesTheRequestThatBrokeTheRule() {
        assertThat(verdict("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n"))
                .isEqualTo("OBS_FOLD@1");
        assertThat(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX"))
                .isEqualTo("CHUNK_END@0");
    }

    @Test
    void measuresTheHeadAndTheTargetExactly() {
        String line = "GET /" + "a".repeat(8191) + " HTTP/1.1\r\n";
        assertThat(verdict(line + "Host: a\r\n\r\n")).isEqualTo("ok@1");
        assertThat(verdict(line.replace("/a", "/aa") + "Host: a\r\n\r\n")).isEqualTo("URI_TOO_LONG@0");

        String head = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
        String padded = head + "v".repeat(65_536 - head.length() - 4) + "\r\n\r\n";
        assertThat(padded).hasSize(65_536);
        assertThat(verdict(padded)).isEqualTo("ok@1");
        assertThat(verdict(padded.replace("X: v", "X: vv"))).isEqualTo("HEAD_TOO_LARGE@0");

        String fields = "GET / HTTP/1.1\r\nHost: a\r\n" + "X: v\r\n".repeat(99);
        assertThat(verdict(fields + "\r\n")).isEqualTo("ok@1");
        assertThat(verdict(fields + "X: v\r\n\r\n")).isEqualTo("TOO_MANY_HEADERS@0");
    }

    @Test
    void becomesATunnelWhenAnUpgradeIsAccepted() {
        HeadScanner scanner = scanner();
        scan(scanner, "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n\u0000\u0081frames");

        scanner.exchangeCompleted(0, 101);
        scan(scanner, "\u0000 not HTTP \n\r");

        assertThat(scanner.violation()).isNull();
        assertThat(scanner.stopped()).isTrue();
    }

    @Test
    void resumesWhenAnUpgradeIsDeclinedAndRefusesWhatCameBeforeTheAnswer() {
        HeadScanner declined = scanner();
        scan(declined, "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n");
        declined.exchangeCompleted(0, 200);
        scan(declined, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(declined.violation()).isNull();
        assertThat(declined.request()).isEqualTo(2);

        HeadScanner eager = scanner();
        scan(eager, "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
        eager.exchangeCompleted(0, 200);
        assertThat(eager.violation()).isEqualTo(Violation.DATA_AFTER_UPGRADE);
        assertThat(eager.violationRequest()).isEqualTo(1);
    }

    @Test
    void hearsHttp2PriorKnowledgeOnlyWhenHttp2IsOn() {
        String preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u0000\u0000\u0012\u0004";
        HeadScanner on = scanner();
        scan(on, preface);
        assertThat(on.violation()).isNull();
        assertThat(on.stopped()).isTrue();

        HeadScanner off = new HeadScanner(65_536, 100, 8192, false);
        scan(off, preface);
        assertThat(off.violation()).isEqualTo(Violation.VERSION);
    }

    private static void scan(HeadScanner scanner, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        scanner.scan(ByteBuffer.wrap(bytes), 0, bytes.length);
    }
}
