package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestTemplateTest {

    private static final Endpoint NODE = Endpoint.of(new InetSocketAddress("127.0.0.1", 8080), "/orders?page=2");

    @Test
    void encodesAPlainGetAsTheBenchmarksAlwaysHave() {
        assertThat(encode(RequestTemplate.get(), NODE)).isEqualTo("GET /orders?page=2 HTTP/1.1\r\n"
                + "Host: 127.0.0.1:8080\r\nUser-Agent: gridgate-loadtest\r\nAccept: */*\r\n\r\n");
    }

    @Test
    void addsHeadersAfterTheDefaultsAndFramesTheBody() {
        RequestTemplate post = RequestTemplate.of("POST", List.of(RequestTemplate.Header.parse(
                "Authorization:  Bearer abc.def.ghi "), new RequestTemplate.Header("Content-Type", "application/json")),
                "{\"n\":1}".getBytes(StandardCharsets.US_ASCII));

        assertThat(encode(post, NODE)).isEqualTo("POST /orders?page=2 HTTP/1.1\r\n"
                + "Host: 127.0.0.1:8080\r\nUser-Agent: gridgate-loadtest\r\nAccept: */*\r\n"
                + "Authorization: Bearer abc.def.ghi\r\nContent-Type: application/json\r\n"
                + "Content-Length: 7\r\n\r\n{\"n\":1}");
    }

    @Test
    void letsAHeaderReplaceADefaultOfTheSameName() {
        RequestTemplate t = RequestTemplate.of("GET", List.of(RequestTemplate.Header.parse("host: api.example")),
                new byte[0]);

        assertThat(encode(t, NODE)).startsWith("GET /orders?page=2 HTTP/1.1\r\nUser-Agent: gridgate-loadtest\r\n")
                .contains("\r\nhost: api.example\r\n")
                .doesNotContain("Host: 127.0.0.1");
    }

    @Test
    void sendsAnEmptyContentLengthWithABodylessPut() {
        assertThat(encode(RequestTemplate.of("PUT", List.of(), new byte[0]), NODE))
                .endsWith("Content-Length: 0\r\n\r\n");
    }

    @Test
    void rejectsWhatTheGeneratorCannotFrameOrRead() {
        assertThatThrownBy(() -> RequestTemplate.of("HEAD", List.of(), new byte[0]))
                .hasMessage("method: HEAD (expected: not HEAD or CONNECT; the generator reads a full response to"
                        + " every request)");
        assertThatThrownBy(() -> RequestTemplate.of("GE T", List.of(), new byte[0]))
                .hasMessage("method: GE T (expected: a token such as GET or POST)");
        assertThatThrownBy(() -> RequestTemplate.of("POST", List.of(RequestTemplate.Header.parse(
                "Content-Length: 3")), new byte[0]))
                .hasMessage("header: Content-Length (expected: not Content-Length or Transfer-Encoding; the"
                        + " generator frames the body itself)");
        assertThatThrownBy(() -> RequestTemplate.Header.parse("Bearer xyz"))
                .hasMessage("header: Bearer xyz (expected: Name: value)");
        assertThatThrownBy(() -> RequestTemplate.Header.parse("X-Bad: a\r\nInjected: b"))
                .hasMessage("header X-Bad: value (expected: printable ASCII, no line breaks)");
    }

    @Test
    void hidesHeaderValuesInReports() {
        assertThat(RequestTemplate.Header.parse("Authorization: Bearer abc").redacted())
                .isEqualTo("Authorization: <10 chars>");
    }

    @Test
    void readsAUrlIntoAddressHostAndPath() {
        Endpoint e = Endpoint.resolve(Endpoint.parseUrl("http://127.0.0.1:9000/api/v1?x=%20y"));

        assertThat(e.address()).isEqualTo(new InetSocketAddress("127.0.0.1", 9000));
        assertThat(e.authority()).isEqualTo("127.0.0.1:9000");
        assertThat(e.path()).isEqualTo("/api/v1?x=%20y");
        assertThat(e.url()).isEqualTo("http://127.0.0.1:9000/api/v1?x=%20y");
        Endpoint bare = Endpoint.resolve(URI.create("http://localhost"));
        assertThat(bare.address().getPort()).isEqualTo(80);
        assertThat(bare.authority()).isEqualTo("localhost");
        assertThat(bare.path()).isEqualTo("/");
    }

    @Test
    void rejectsUrlsTheGeneratorCannotSendTo() {
        assertThatThrownBy(() -> Endpoint.parseUrl("https://node1:8443/"))
                .hasMessage("https://node1:8443/ (expected: http://; the generator speaks plain HTTP/1.1)");
        assertThatThrownBy(() -> Endpoint.parseUrl("node1:8080"))
                .hasMessage("node1:8080 (expected: a URL such as http://host:8080/path)");
        assertThatThrownBy(() -> Endpoint.parseUrl("http://node1:8080/a#frag"))
                .hasMessage("http://node1:8080/a#frag (expected: no user info and no #fragment)");
    }

    private static String encode(RequestTemplate template, Endpoint endpoint) {
        return StandardCharsets.US_ASCII.decode(template.encode(endpoint)).toString();
    }
}
