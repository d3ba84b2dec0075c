package io.gridgate.node.guard;

import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Request smuggling and malformed framing, as raw bytes on a socket against a real gateway with
 * strict framing on (the default). A refused request gets its status (with the local reply's JSON
 * when Gridgate refuses it, Undertow's bare 400 where Undertow's parser already did), the connection
 * is closed, and the upstream receives nothing. Well-formed requests reach the upstream byte for byte.
 */
class FramingTest {

    private static final String HOST = "Host: a\r\n";
    private static final String GET = "GET / HTTP/1.1\r\n" + HOST;
    private static final String POST = "POST / HTTP/1.1\r\n" + HOST;
    private static final String CHUNKED = POST + "Transfer-Encoding: chunked\r\n\r\n";
    private static final String HELLO_CHUNKS = "5\r\nhello\r\n0\r\n\r\n";
    /** Every rule broken at once; harmless as body bytes, which are never scanned. */
    private static final String BROKEN_HEAD = "G@T  /a\u0000 HTTP/9\n X : \u0000\r\u000b\nTransfer-Encoding: gzip\r\n\r\n";
    /** Undertow's parser refuses these itself, with a bare 400; Gridgate keeps that answer. */
    private static final String UNDERTOW = null;

    private static RecordingUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        upstream = new RecordingUpstream();
        gateway = TestGateway.withRoutes("""
                - id: all
                  upstream: %s
                """.formatted(upstream.url()));
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        upstream.close();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // Transfer-Encoding: anything but exactly "chunked" is refused; Undertow decodes it as chunked.
                refused("TE chunked, identity", POST + "Transfer-Encoding: chunked, identity\r\n\r\n" + HELLO_CHUNKS, 400, "ambiguous_framing"),
                refused("TE identity", POST + "Transfer-Encoding: identity\r\n\r\nhello", 400, "ambiguous_framing"),
                refused("TE identity with CL", POST + "Transfer-Encoding: identity\r\nContent-Length: 5\r\n\r\nhello", 400, "ambiguous_framing"),
                refused("TE xchunked", POST + "Transfer-Encoding: xchunked\r\n\r\n" + HELLO_CHUNKS, 400, "ambiguous_framing"),
                refused("TE gzip, chunked", POST + "Transfer-Encoding: gzip, chunked\r\n\r\n" + HELLO_CHUNKS, 400, "ambiguous_framing"),
                refused("TE gzip", POST + "Transfer-Encoding: gzip\r\n\r\n" + HELLO_CHUNKS, 400, "ambiguous_framing"),
                refused("TE chunked;q=1", POST + "Transfer-Encoding: chunked;q=1\r\n\r\n" + HELLO_CHUNKS, 400, "ambiguous_framing"),
                refused("TE chunkedx", POST + "Transfer-Encoding: chunkedx\r\n\r\n" + HELLO_CHUNKS, 400, "ambiguous_framing"),
                refused("TE chunked chunked", POST + "Transfer-Encoding: chunked chunked\r\n\r\n" + HELLO_CHUNKS, 400, "ambiguous_framing"),
                refused("TE empty", POST + "Transfer-Encoding: \r\n\r\n" + HELLO_CHUNKS, 400, "ambiguous_framing"),
                refused("TE twice", POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n" + HELLO_CHUNKS, 400, "ambiguous_framing"),
                refused("TE chunked then identity", POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n" + HELLO_CHUNKS, 400, "ambiguous_framing"),
                refused("TE in obs-fold", POST + "Transfer-Encoding:\r\n chunked\r\n\r\n" + HELLO_CHUNKS, 400, "ambiguous_framing"),
                refused("TE value folded after chunked", POST + "Transfer-Encoding: chunked\r\n , identity\r\n\r\n" + HELLO_CHUNKS, 400, "malformed_request"),
                refused("TE \\x0b before chunked", POST + "Transfer-Encoding: \u000bchunked\r\n\r\n" + HELLO_CHUNKS, 400, "malformed_request"),
                refused("TE \\x0c before chunked", POST + "Transfer-Encoding: \u000cchunked\r\n\r\n" + HELLO_CHUNKS, 400, "malformed_request"),
                refused("TE space before colon", POST + "Transfer-Encoding : chunked\r\n\r\n" + HELLO_CHUNKS, 400, "malformed_request"),
                refused("TE in HTTP/1.0", "POST / HTTP/1.0\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n" + HELLO_CHUNKS, 400, "ambiguous_framing"),
                refused("CL then TE", POST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" + HELLO_CHUNKS, 400, "ambiguous_framing"),
                refused("TE then CL", POST + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n" + HELLO_CHUNKS, 400, "ambiguous_framing"),
                // Content-Length: one header, 1 to 18 digits, no sign, list or leading zero.
                refused("CL twice, same value", POST + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400, "ambiguous_framing"),
                refused("CL twice, different values", POST + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400, "ambiguous_framing"),
                refused("CL list 5, 5", POST + "Content-Length: 5, 5\r\n\r\nhello", 400, "ambiguous_framing"),
                refused("CL +5", POST + "Content-Length: +5\r\n\r\nhello", 400, "ambiguous_framing"),
                refused("CL -5", POST + "Content-Length: -5\r\n\r\nhello", 400, "ambiguous_framing"),
                refused("CL 0x5", POST + "Content-Length: 0x5\r\n\r\nhello", 400, "ambiguous_framing"),
                refused("CL 05", POST + "Content-Length: 05\r\n\r\nhello", 400, "ambiguous_framing"),
                refused("CL 5a", POST + "Content-Length: 5a\r\n\r\nhello", 400, "ambiguous_framing"),
                refused("CL 5 5", POST + "Content-Length: 5 5\r\n\r\nhello", 400, "ambiguous_framing"),
                refused("CL empty", POST + "Content-Length: \r\n\r\nhello", 400, "ambiguous_framing"),
                refused("CL overflowing a long", POST + "Content-Length: 99999999999999999999\r\n\r\nhello", 400, "ambiguous_framing"),
                refused("CL of 19 digits", POST + "Content-Length: 9223372036854775807\r\n\r\nhello", 400, "ambiguous_framing"),
                refused("CL with a NUL", POST + "Content-Length: 5\u0000\r\n\r\nhello", 400, "malformed_request"),
                // Field lines.
                refused("obs-fold", GET + "X-A: a\r\n b\r\n\r\n", 400, "malformed_request"),
                refused("obs-fold with a tab", GET + "X-A: a\r\n\tb\r\n\r\n", 400, "malformed_request"),
                refused("whitespace line after the request line", "GET / HTTP/1.1\r\n X-A: a\r\n" + HOST + "\r\n", 400, "malformed_request"),
                refused("bare CR inside a value", GET + "X-A: a\rb\r\n\r\n", 400, "malformed_request"),
                refused("bare CR ending a line", GET + "X-A: a\r\r\n\r\n", 400, "malformed_request"),
                refused("bare LF line endings", "GET / HTTP/1.1\nHost: a\n\n", 400, "malformed_request"),
                refused("bare LF after one field", GET + "X-A: a\nX-B: b\r\n\r\n", 400, "malformed_request"),
                refused("bare LF ending the head", GET + "\n", 400, "malformed_request"),
                refused("Content-Length smuggled behind a bare LF", POST + "X-A: a\nContent-Length: 5\r\n\r\nhello", 400, "malformed_request"),
                refused("NUL in a value", GET + "X-A: a\u0000b\r\n\r\n", 400, "malformed_request"),
                refused("NUL in a name", GET + "X-\u0000A: b\r\n\r\n", 400, "malformed_request"),
                refused("\\x01 in a value", GET + "X-A: a\u0001b\r\n\r\n", 400, "malformed_request"),
                refused("\\x1f in a value", GET + "X-A: a\u001fb\r\n\r\n", 400, "malformed_request"),
                refused("DEL in a value", GET + "X-A: a\u007fb\r\n\r\n", 400, "malformed_request"),
                refused("space before the colon", GET + "X-A : b\r\n\r\n", 400, "malformed_request"),
                refused("tab before the colon", GET + "X-A\t: b\r\n\r\n", 400, "malformed_request"),
                refused("space before the colon of Host", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, "malformed_request"),
                refused("space inside a name", GET + "X A: b\r\n\r\n", 400, "malformed_request"),
                refused("tab inside a name", GET + "X\tA: b\r\n\r\n", 400, "malformed_request"),
                refused("empty name", GET + ": b\r\n\r\n", 400, "malformed_request"),
                refused("@ in a name", GET + "X@A: b\r\n\r\n", 400, "malformed_request"),
                refused("obs-text in a name", GET + "X\u00e9A: b\r\n\r\n", 400, "malformed_request"),
                refused("line without a colon", GET + "X-A\r\n\r\n", 400, "malformed_request"),
                // Request line.
                refused("method with @", "G@T / HTTP/1.1\r\n" + HOST + "\r\n", 400, "malformed_request"),
                refused("two spaces after the method", "GET  / HTTP/1.1\r\n" + HOST + "\r\n", 400, "malformed_request"),
                refused("tab after the method", "GET\t/ HTTP/1.1\r\n" + HOST + "\r\n", 400, "malformed_request"),
                refused("space inside the target", "GET /a b HTTP/1.1\r\n" + HOST + "\r\n", 400, "malformed_request"),
                refused("space after the version", "GET / HTTP/1.1 \r\n" + HOST + "\r\n", 400, "malformed_request"),
                refused("HTTP/1.2", "GET / HTTP/1.2\r\n" + HOST + "\r\n", 400, "malformed_request"),
                refused("HTTP/2.0 in an HTTP/1 request line", "GET / HTTP/2.0\r\n" + HOST + "\r\n", 400, "malformed_request"),
                refused("HTTP/0.9 request", "GET /\r\n\r\n", 400, "malformed_request"),
                refused("lowercase http/1.1", "GET / http/1.1\r\n" + HOST + "\r\n", 400, "malformed_request"),
                refused("NUL in the target", "GET /a\u0000b HTTP/1.1\r\n" + HOST + "\r\n", 400, "malformed_request"),
                refused("DEL in the target", "GET /a\u007fb HTTP/1.1\r\n" + HOST + "\r\n", 400, "malformed_request"),
                refused("empty line before the request line", "\r\n" + GET + "\r\n", 400, "malformed_request"),
                refused("target not starting with /", "GET a HTTP/1.1\r\n" + HOST + "\r\n", 400, UNDERTOW),
                refused("absolute-form naming another host", "GET http://evil/x HTTP/1.1\r\n" + HOST + "\r\n", 400, UNDERTOW),
                // Host.
                refused("no Host", "GET / HTTP/1.1\r\n\r\n", 400, "invalid_host"),
                refused("two Host headers", GET + "Host: b\r\n\r\n", 400, "invalid_host"),
                refused("empty Host", "GET / HTTP/1.1\r\nHost: \r\n\r\n", 400, "invalid_host"),
                refused("Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400, UNDERTOW),
                refused("Host port 99999", "GET / HTTP/1.1\r\nHost: x:99999\r\n\r\n", 400, UNDERTOW),
                refused("Host port abc", "GET / HTTP/1.1\r\nHost: x:abc\r\n\r\n", 400, UNDERTOW),
                refused("Host with userinfo", "GET / HTTP/1.1\r\nHost: u@x\r\n\r\n", 400, UNDERTOW),
                // Chunked framing: Undertow skips to the next LF, hangs, or reads junk as data.
                refused("chunk size 0x5", CHUNKED + "0x5\r\nhello\r\n0\r\n\r\n", 400, "ambiguous_framing"),
                refused("chunk size -5", CHUNKED + "-5\r\nhello\r\n0\r\n\r\n", 400, "ambiguous_framing"),
                refused("chunk size of 20 digits", CHUNKED + "00000000000000000005\r\nhello\r\n0\r\n\r\n", 400, "ambiguous_framing"),
                refused("chunk size overflowing a long", CHUNKED + "fffffffffffffffff5\r\nhello\r\n0\r\n\r\n", 400, "ambiguous_framing"),
                refused("chunk size g", CHUNKED + "g\r\nhello\r\n0\r\n\r\n", 400, "ambiguous_framing"),
                refused("chunk size missing", CHUNKED + "\r\nhello\r\n0\r\n\r\n", 400, "ambiguous_framing"),
                refused("chunk size followed by a space", CHUNKED + "5 \r\nhello\r\n0\r\n\r\n", 400, "ambiguous_framing"),
                refused("chunk extension without a name", CHUNKED + "5;\r\nhello\r\n0\r\n\r\n", 400, "ambiguous_framing"),
                refused("chunk extension with a NUL", CHUNKED + "5;a\u0000\r\nhello\r\n0\r\n\r\n", 400, "ambiguous_framing"),
                refused("chunk extension longer than 4 KiB", CHUNKED + "5;a=" + "b".repeat(5000) + "\r\nhello\r\n0\r\n\r\n", 400, "ambiguous_framing"),
                refused("chunk size line ending in bare LF", CHUNKED + "5\nhello\r\n0\r\n\r\n", 400, "malformed_request"),
                refused("chunk data longer than its size", CHUNKED + "3\r\nhello\r\n0\r\n\r\n", 400, "ambiguous_framing"),
                refused("chunk data not followed by CRLF", CHUNKED + "5\r\nhelloX0\r\n\r\n", 400, "ambiguous_framing"),
                refused("chunk data followed by bare LF", CHUNKED + "5\r\nhello\n0\r\n\r\n", 400, "ambiguous_framing"),
                refused("obs-fold in a trailer", CHUNKED + "5\r\nhello\r\n0\r\nX-T: 1\r\n 2\r\n\r\n", 400, "malformed_request"),
                refused("NUL in a trailer", CHUNKED + "5\r\nhello\r\n0\r\nX-T: 1\u00002\r\n\r\n", 400, "malformed_request"),
                // Limits (defaults: 100 fields, 64 KiB head, 8 KiB target).
                refused("101 header fields", GET + "X-H: v\r\n".repeat(100) + "\r\n", 431, "headers_too_large"),
                refused("250 header fields", GET + "X-H: v\r\n".repeat(249) + "\r\n", 431, "headers_too_large"),
                refused("a 70 KB header", GET + "X-Big: " + "a".repeat(70_000) + "\r\n\r\n", 431, "headers_too_large"),
                refused("a 9000-byte target", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n" + HOST + "\r\n", 414, "uri_too_long"),
                refused("a 100 KB target", "GET /" + "a".repeat(100_000) + " HTTP/1.1\r\n" + HOST + "\r\n", 414, "uri_too_long"));
    }

    private static Arguments refused(String name, String request, int status, String error) {
        return arguments(name, request, status, error);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesClosesAndForwardsNothing(String name, String request, int status, String error) throws IOException {
        int before = upstream.received().size();

        Wire.Outcome outcome = Wire.send(gateway.port(), bytes(request), Duration.ofSeconds(5));

        assertThat(outcome.responses()).as(name).hasSize(1);
        Wire.Response response = outcome.responses().get(0);
        assertThat(response.status()).as(name).isEqualTo(status);
        assertThat(response.header("Connection")).as(name).isEqualToIgnoringCase("close");
        if (error != UNDERTOW) {
            assertThat(response.body()).as(name).startsWith("{\"status\":" + status + ",\"error\":\"" + error + "\"");
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
        }
        assertThat(outcome.end()).as(name).isEqualTo(Wire.End.CLOSED);
        assertThat(upstream.received()).as(name).hasSize(before);
    }

    static Stream<Arguments> passed() {
        return Stream.of(
                passed("GET", GET + "\r\n", ""),
                passed("POST with Content-Length", POST + "Content-Length: 5\r\n\r\nhello", "hello"),
                passed("Content-Length 0", POST + "Content-Length: 0\r\n\r\n", ""),
                passed("Content-Length with surrounding whitespace", POST + "Content-Length:  5 \r\n\r\nhello", "hello"),
                passed("chunked", CHUNKED + HELLO_CHUNKS, "hello"),
                passed("chunked with extensions", CHUNKED + "5;a=b;c;d=\"x;\\\"y\"\r\nhello\r\n0;e\r\n\r\n", "hello"),
                passed("chunked with whitespace before an extension", CHUNKED + "5 ;a = b\r\nhello\r\n0\r\n\r\n", "hello"),
                passed("chunked with a trailer", CHUNKED + "5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n", "hello"),
                passed("chunked with uppercase hex", CHUNKED + "A\r\nhelloworld\r\n0\r\n\r\n", "helloworld"),
                passed("Transfer-Encoding in another case", POST + "Transfer-Encoding: Chunked\r\n\r\n" + HELLO_CHUNKS, "hello"),
                passed("Transfer-Encoding with surrounding whitespace", POST + "Transfer-Encoding: \tchunked \r\n\r\n" + HELLO_CHUNKS, "hello"),
                passed("HTTP/1.0", "GET / HTTP/1.0\r\n\r\n", ""),
                passed("obs-text in a value", GET + "X-A: caf\u00e9\r\n\r\n", ""),
                passed("empty value", GET + "X-A:\r\n\r\n", ""),
                passed("absolute-form", "GET http://a/x HTTP/1.1\r\n" + HOST + "\r\n", ""),
                passed("IPv6 Host", "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", ""),
                passed("a body that looks like a broken head",
                        POST + "Content-Length: " + BROKEN_HEAD.length() + "\r\n\r\n" + BROKEN_HEAD, BROKEN_HEAD),
                passed("chunk data that looks like a broken head",
                        CHUNKED + Integer.toHexString(BROKEN_HEAD.length()) + "\r\n" + BROKEN_HEAD + "\r\n0\r\n\r\n",
                        BROKEN_HEAD));
    }

    private static Arguments passed(String name, String request, String body) {
        return arguments(name, request, body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("passed")
    void forwardsWellFormedRequestsAndKeepsTheConnection(String name, String request, String body) throws IOException {
        int before = upstream.received().size();
        try (Wire.Conversation conversation = new Wire.Conversation(gateway.port())) {
            assertThat(conversation.send(request).next().status()).as(name).isEqualTo(200);
            if (!request.contains("HTTP/1.0")) {
                assertThat(conversation.send(GET + "\r\n").next().status()).as(name).isEqualTo(200);
            }
        }
        List<RecordingUpstream.Received> received = upstream.received();
        assertThat(received.get(before).bodyText()).as(name).isEqualTo(body);
    }

    @Test
    void forwardsLargeBodiesByteForByte() throws IOException {
        byte[] body = new byte[300_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + i / 7);
        }
        StringBuilder chunks = new StringBuilder();
        for (int at = 0; at < body.length; ) {
            int size = Math.min(body.length - at, 1 + at % 20_000);
            chunks.append(Integer.toHexString(size)).append("\r\n")
                    .append(new String(body, at, size, StandardCharsets.ISO_8859_1)).append("\r\n");
            at += size;
        }
        int before = upstream.received().size();
        try (Wire.Conversation conversation = new Wire.Conversation(gateway.port())) {
            conversation.send(POST + "Content-Length: " + body.length + "\r\n\r\n").send(body);
            assertThat(conversation.next().status()).isEqualTo(200);
            conversation.send(CHUNKED + chunks + "0\r\n\r\n");
            assertThat(conversation.next().status()).isEqualTo(200);
        }
        assertThat(upstream.received().get(before).body()).isEqualTo(body);
        assertThat(upstream.received().get(before + 1).body()).isEqualTo(body);
    }

    @Test
    void answersPipelinedRequestsInOrderAcrossBodies() throws IOException {
        int before = upstream.received().size();
        String pipelined = GET + "\r\n"
                + POST + "Content-Length: 5\r\n\r\nhello"
                + CHUNKED + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
                + GET + "\r\n";
        try (Wire.Conversation conversation = new Wire.Conversation(gateway.port())) {
            conversation.send(pipelined);
            for (int i = 0; i < 4; i++) {
                assertThat(conversation.next().status()).isEqualTo(200);
            }
            assertThat(conversation.send(GET + "\r\n").next().status()).isEqualTo(200);
        }
        List<RecordingUpstream.Received> received = upstream.received().subList(before, before + 5);
        assertThat(received).extracting(RecordingUpstream.Received::bodyText).containsExactly("", "hello", "abcde", "", "");
    }

    @Test
    void refusesABrokenRequestPipelinedBehindAGoodOneAfterAnsweringTheGoodOne() throws IOException {
        int before = upstream.received().size();
        try (Wire.Conversation conversation = new Wire.Conversation(gateway.port())) {
            conversation.send(POST + "Content-Length: 5\r\n\r\nhello" + GET + "X-A: a\r\n b\r\n\r\n");

            assertThat(conversation.next().status()).isEqualTo(200);
            Wire.Outcome rest = conversation.rest(Duration.ofSeconds(5));
            assertThat(rest.status()).isEqualTo(400);
            assertThat(rest.responses().get(0).body()).contains("obs-fold");
            assertThat(rest.end()).isEqualTo(Wire.End.CLOSED);
        }
        assertThat(upstream.received()).hasSize(before + 1);
    }

    @Test
    void refusesABrokenRequestThatFollowsAChunkedBody() throws IOException {
        int before = upstream.received().size();
        try (Wire.Conversation conversation = new Wire.Conversation(gateway.port())) {
            conversation.send(CHUNKED + HELLO_CHUNKS + POST + "Content-Length: 1\r\nContent-Length: 1\r\n\r\nx");

            assertThat(conversation.next().status()).isEqualTo(200);
            Wire.Outcome rest = conversation.rest(Duration.ofSeconds(5));
            assertThat(rest.status()).isEqualTo(400);
            assertThat(rest.end()).isEqualTo(Wire.End.CLOSED);
        }
        assertThat(upstream.received()).hasSize(before + 1);
        assertThat(upstream.received().get(before).bodyText()).isEqualTo("hello");
    }

    @Test
    void refusesABrokenRequestSentAfterTheFirstWasAnswered() throws IOException {
        int before = upstream.received().size();
        try (Wire.Conversation conversation = new Wire.Conversation(gateway.port())) {
            assertThat(conversation.send(GET + "\r\n").next().status()).isEqualTo(200);

            conversation.send(GET + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n");

            Wire.Outcome rest = conversation.rest(Duration.ofSeconds(5));
            assertThat(rest.status()).isEqualTo(400);
            assertThat(rest.end()).isEqualTo(Wire.End.CLOSED);
        }
        assertThat(upstream.received()).hasSize(before + 1);
    }

    @Test
    void refusesAHeadThatTurnsBadWhileItTrickles() throws IOException {
        int before = upstream.received().size();
        try (Wire.Conversation conversation = new Wire.Conversation(gateway.port())) {
            conversation.send(GET + "X-A: 1\r\n");
            pause();
            conversation.send("X-B: \u0000");

            Wire.Outcome rest = conversation.rest(Duration.ofSeconds(5));
            assertThat(rest.status()).isEqualTo(400);
            assertThat(rest.end()).isEqualTo(Wire.End.CLOSED);
        }
        assertThat(upstream.received()).hasSize(before);
    }

    @Test
    void refusesDataSentBeforeAnUpgradeWasAnswered() throws IOException {
        int before = upstream.received().size();
        try (Wire.Conversation conversation = new Wire.Conversation(gateway.port())) {
            conversation.send(GET + "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n" + GET + "\r\n");

            assertThat(conversation.next().status()).isEqualTo(200);
            Wire.Outcome rest = conversation.rest(Duration.ofSeconds(5));
            assertThat(rest.status()).isEqualTo(400);
            assertThat(rest.responses().get(0).body()).contains("upgrade");
            assertThat(rest.end()).isEqualTo(Wire.End.CLOSED);
        }
        assertThat(upstream.received()).hasSize(before + 1);
    }

    @Test
    void goesOnScanningWhenAnUpgradeIsDeclined() throws IOException {
        try (Wire.Conversation conversation = new Wire.Conversation(gateway.port())) {
            assertThat(conversation.send(GET + "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n").next().status())
                    .isEqualTo(200);
            assertThat(conversation.send(GET + "\r\n").next().status()).isEqualTo(200);

            conversation.send(GET + "X-A: a\r\n b\r\n\r\n");

            assertThat(conversation.rest(Duration.ofSeconds(5)).status()).isEqualTo(400);
        }
    }

    @Test
    void closesTheConnectionWhenChunkedFramingBreaksInABodyAlreadyOnItsWayUpstream() throws IOException {
        // A gateway of its own: the upstream connection this request leaves half-written must not
        // serve the other tests (see the report on ProxyCall).
        try (RecordingUpstream ownUpstream = new RecordingUpstream();
             TestGateway ownGateway = TestGateway.withRoutes("""
                     - id: all
                       upstream: %s
                     """.formatted(ownUpstream.url()));
             Wire.Conversation conversation = new Wire.Conversation(ownGateway.port())) {
            conversation.send(CHUNKED + "5\r\nhello\r\n");
            pause();
            conversation.send("3\r\nabcX\r\n0\r\n\r\n");

            Wire.Outcome rest = conversation.rest(Duration.ofSeconds(5));
            assertThat(rest.responses()).isEmpty();
            assertThat(rest.end()).isNotEqualTo(Wire.End.OPEN);
            // The head and the first chunk went upstream before the junk arrived; the body never completes.
            assertThat(ownUpstream.received()).isEmpty();
        }
    }

    @Test
    void refusesGarbagePipelinedBehindABodilessRequest() throws IOException {
        int before = upstream.received().size();
        try (Wire.Conversation conversation = new Wire.Conversation(gateway.port())) {
            conversation.send(POST + "Transfer_Encoding: chunked\r\n\r\n" + HELLO_CHUNKS);

            Wire.Outcome rest = conversation.rest(Duration.ofSeconds(5));
            assertThat(rest.responses()).extracting(Wire.Response::status).containsExactly(200, 400);
            assertThat(rest.end()).isEqualTo(Wire.End.CLOSED);
        }
        assertThat(upstream.received()).hasSize(before + 1);
    }

    /** Lets the gateway read what was sent so far before the rest arrives; shapes input, waits for nothing. */
    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] bytes(String request) {
        return request.getBytes(StandardCharsets.ISO_8859_1);
    }
}
