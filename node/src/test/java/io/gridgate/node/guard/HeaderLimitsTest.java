package io.gridgate.node.guard;

import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Header count (431), head size (431), target length (414) and Host, at their exact bounds, with
 * strict framing on and off: the limits hold either way, measured on raw bytes by the scanner or on
 * the parsed request by the guard handler.
 */
class HeaderLimitsTest {

    private static final int MAX_HEADERS = 10;
    private static final int MAX_URL = 300;
    private static final int MAX_HEAD = 2048;

    private static RecordingUpstream strictUpstream;
    private static TestGateway strictGateway;
    private static RecordingUpstream laxUpstream;
    private static TestGateway laxGateway;

    private RecordingUpstream upstream;
    private TestGateway gateway;
    private int forwardedBefore;

    @BeforeAll
    static void startBoth() throws IOException {
        strictUpstream = new RecordingUpstream();
        strictGateway = gateway(true, strictUpstream);
        laxUpstream = new RecordingUpstream();
        laxGateway = gateway(false, laxUpstream);
    }

    @AfterAll
    static void stopBoth() throws IOException {
        strictGateway.close();
        strictUpstream.close();
        laxGateway.close();
        laxUpstream.close();
    }

    private static TestGateway gateway(boolean strict, RecordingUpstream upstream) {
        return TestGateway.start("""
                server:
                  bindAddress: 127.0.0.1
                  port: 0
                  ioThreads: 1
                  drainTimeout: 1s
                  maxRequestHeaderBytes: %d
                  limits: {maxHeaders: %d, maxUrlBytes: %d, strictFraming: %s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                routes:
                  - id: all
                    upstream: %s
                """.formatted(MAX_HEAD, MAX_HEADERS, MAX_URL, strict, upstream.url()));
    }

    /** Picks the gateway with strict framing on or off, and notes what its upstream has seen so far. */
    private void use(boolean strict) {
        upstream = strict ? strictUpstream : laxUpstream;
        gateway = strict ? strictGateway : laxGateway;
        forwardedBefore = upstream.received().size();
    }

    /** Requests the upstream received since {@link #use}. */
    private int forwarded() {
        return upstream.received().size() - forwardedBefore;
    }

    private Wire.Outcome send(String request) throws IOException {
        return Wire.send(gateway.port(), request.getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(5));
    }

    /** The status of the one response to a request the gateway is expected to serve (and keep the connection). */
    private int served(String request) throws IOException {
        try (Wire.Conversation conversation = new Wire.Conversation(gateway.port())) {
            return conversation.send(request).next().status();
        }
    }

    private static String withFields(int fields) {
        return "GET / HTTP/1.1\r\nHost: a\r\n" + "X-F: v\r\n".repeat(fields - 1) + "\r\n";
    }

    private static String withTarget(int bytes) {
        return "GET /" + "t".repeat(bytes - 3) + "?q HTTP/1.1\r\nHost: a\r\n\r\n";
    }

    private void assertRefused(Wire.Outcome outcome, int status, String error) {
        assertThat(outcome.status()).isEqualTo(status);
        assertThat(outcome.responses().get(0).body()).startsWith("{\"status\":" + status + ",\"error\":\"" + error + "\"");
        assertThat(outcome.responses().get(0).header("Connection")).isEqualToIgnoringCase("close");
        assertThat(outcome.end()).isEqualTo(Wire.End.CLOSED);
        assertThat(forwarded()).isZero();
    }

    @ParameterizedTest(name = "strict framing {0}")
    @ValueSource(booleans = {true, false})
    void acceptsMaxHeadersAndAnswers431ForOneMore(boolean strict) throws IOException {
        use(strict);

        assertThat(served(withFields(MAX_HEADERS))).isEqualTo(200);
        Wire.Outcome outcome = send(withFields(MAX_HEADERS + 1));

        assertThat(outcome.status()).isEqualTo(431);
        assertThat(outcome.responses().get(0).body()).contains("\"error\":\"headers_too_large\"");
        assertThat(outcome.end()).isEqualTo(Wire.End.CLOSED);
        assertThat(forwarded()).isEqualTo(1);
    }

    @ParameterizedTest(name = "strict framing {0}")
    @ValueSource(booleans = {true, false})
    void answers431UpToTwiceMaxHeadersWhereUndertowsOwnBoundTakesOver(boolean strict) throws IOException {
        use(strict);

        assertRefused(send(withFields(2 * MAX_HEADERS)), 431, "headers_too_large");
        // Past Undertow's backstop only the scanner still answers 431; without it Undertow's bare 400 does.
        Wire.Outcome many = send(withFields(2 * MAX_HEADERS + 1));
        assertThat(many.status()).isEqualTo(strict ? 431 : 400);
        assertThat(many.end()).isEqualTo(Wire.End.CLOSED);
    }

    @Test
    void acceptsAHeadOfMaxRequestHeaderBytesAndAnswers431ForOneByteMore() throws IOException {
        use(true);
        String head = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: ";
        String exact = head + "p".repeat(MAX_HEAD - head.length() - 4) + "\r\n\r\n";
        assertThat(exact).hasSize(MAX_HEAD);

        assertThat(served(exact)).isEqualTo(200);
        Wire.Outcome outcome = send(exact.replace("X-Pad: p", "X-Pad: pp"));

        assertThat(outcome.status()).isEqualTo(431);
        assertThat(outcome.responses().get(0).body()).contains("maxRequestHeaderBytes");
        assertThat(outcome.end()).isEqualTo(Wire.End.CLOSED);
        assertThat(forwarded()).isEqualTo(1);
    }

    @Test
    void answers431WhileAnOversizedHeadIsStillArriving() throws IOException {
        use(true);
        try (Wire.Conversation conversation = new Wire.Conversation(gateway.port())) {
            conversation.send("GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + "p".repeat(3 * MAX_HEAD));

            Wire.Outcome outcome = conversation.rest(Duration.ofSeconds(5));

            assertThat(outcome.status()).isEqualTo(431);
            assertThat(outcome.end()).isEqualTo(Wire.End.CLOSED);
        }
        assertThat(forwarded()).isZero();
    }

    @ParameterizedTest(name = "strict framing {0}")
    @ValueSource(booleans = {true, false})
    void acceptsATargetOfMaxUrlBytesAndAnswers414ForOneByteMore(boolean strict) throws IOException {
        use(strict);

        assertThat(served(withTarget(MAX_URL))).isEqualTo(200);
        assertThat(upstream.received().get(forwardedBefore).head()).startsWith("GET /ttt");
        Wire.Outcome outcome = send(withTarget(MAX_URL + 1));

        assertThat(outcome.status()).isEqualTo(414);
        assertThat(outcome.responses().get(0).body()).contains("\"error\":\"uri_too_long\"");
        assertThat(outcome.end()).isEqualTo(Wire.End.CLOSED);
        assertThat(forwarded()).isEqualTo(1);
    }

    @Test
    void answers414RatherThan431ForATargetLongerThanTheWholeHeadBound() throws IOException {
        use(true);

        assertRefused(send(withTarget(5 * MAX_HEAD)), 414, "uri_too_long");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "GET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost:\r\n\r\n",
        "GET / HTTP/1.1\r\nHost:  \t \r\n\r\n"})
    void refusesAMissingRepeatedOrEmptyHost(String request) throws IOException {
        use(true);

        assertRefused(send(request), 400, "invalid_host");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x:99999\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x:0\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
        "GET http://b/ HTTP/1.1\r\nHost: a\r\n\r\n"})
    void leavesHostSyntaxToUndertowWhichRefusesAndCloses(String request) throws IOException {
        use(true);

        Wire.Outcome outcome = send(request);

        assertThat(outcome.status()).isEqualTo(400);
        assertThat(outcome.end()).isEqualTo(Wire.End.CLOSED);
        assertThat(forwarded()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "GET / HTTP/1.1\r\nHost: a.example:8080\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n",
        "GET http://a/x HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n"})
    void forwardsValidHosts(String request) throws IOException {
        use(true);

        assertThat(served(request)).isEqualTo(200);
        assertThat(forwarded()).isEqualTo(1);
    }

    @Test
    void appliesTheParsedLimitsToHttp2Streams() throws Exception {
        use(true);
        HttpClient http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

        HttpResponse<String> upgraded = http2.send(HttpRequest.newBuilder(gateway.uri("/ok")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> tooLong = http2.send(HttpRequest.newBuilder(gateway.uri("/" + "t".repeat(MAX_URL))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(upgraded.statusCode()).isEqualTo(200);
        assertThat(tooLong.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(tooLong.statusCode()).isEqualTo(414);
        assertThat(tooLong.body()).contains("\"error\":\"uri_too_long\"");
    }
}
