package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseParserTest {

    private final ResponseParser parser = new ResponseParser();

    @Test
    void endsAContentLengthResponseAfterItsBody() throws Exception {
        ByteBuffer in = bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello");

        assertThat(parser.feed(in)).isTrue();
        assertThat(parser.status()).isEqualTo(200);
        assertThat(parser.connectionClose()).isFalse();
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void waitsForTheRestWhenTheResponseArrivesInPieces() throws Exception {
        String response = "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 10\r\n\r\n0123456789";
        for (int cut = 1; cut < response.length(); cut++) {
            parser.reset();
            assertThat(parser.feed(bytes(response.substring(0, cut)))).as("cut at %d", cut).isFalse();
            assertThat(parser.feed(bytes(response.substring(cut)))).as("cut at %d", cut).isTrue();
            assertThat(parser.status()).isEqualTo(503);
        }
    }

    @Test
    void followsChunkedBodiesWithExtensionsAndTrailers() throws Exception {
        ByteBuffer in = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: y\r\n\r\n");

        assertThat(parser.feed(in)).isTrue();
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void leavesTheNextResponsesBytesInTheBuffer() throws Exception {
        ByteBuffer in = bytes("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\n");

        assertThat(parser.feed(in)).isTrue();
        assertThat(parser.status()).isEqualTo(204);
        assertThat(in.remaining()).isEqualTo("HTTP/1.1 200 OK\r\n".length());
    }

    @Test
    void skipsAnInterimContinueResponse() throws Exception {
        ByteBuffer in = bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");

        assertThat(parser.feed(in)).isTrue();
        assertThat(parser.status()).isEqualTo(201);
    }

    @Test
    void notesWhenTheServerWillClose() throws Exception {
        parser.feed(bytes("HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n"));
        assertThat(parser.connectionClose()).isTrue();

        parser.reset();
        parser.feed(bytes("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertThat(parser.connectionClose()).isTrue();
    }

    @Test
    void rejectsAResponseFramedByConnectionClose() {
        assertThatThrownBy(() -> parser.feed(bytes("HTTP/1.1 200 OK\r\n\r\nbody until close")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("neither Content-Length nor chunked");
    }

    @Test
    void rejectsSomethingThatIsNotAStatusLine() {
        assertThatThrownBy(() -> parser.feed(bytes("SSH-2.0-OpenSSH_9.2\r\n")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("bad status line: SSH-2.0");
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
