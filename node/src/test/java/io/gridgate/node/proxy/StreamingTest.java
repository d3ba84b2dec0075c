package io.gridgate.node.proxy;

import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies far larger than the proxy's 16 KiB buffers, both ways, so a proxy that buffered whole
 * bodies (or lost a chunk between buffers) would show it.
 */
class StreamingTest {

    private static final long BODY_BYTES = 64L * 1024 * 1024;

    private final HttpClient client = HttpClient.newHttpClient();
    private TestUpstream upstream;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void streamsARequestBodyToTheUpstreamChunkByChunk() throws Exception {
        upstream = TestUpstream.start(exchange -> {
            AtomicLong received = new AtomicLong();
            AtomicLong checksum = new AtomicLong();
            exchange.getRequestReceiver().receivePartialBytes((ex, bytes, last) -> {
                received.addAndGet(bytes.length);
                for (byte b : bytes) {
                    checksum.addAndGet(b & 0xff);
                }
                if (last) {
                    ex.getResponseSender().send(received.get() + " " + checksum.get());
                }
            }, (ex, e) -> ex.setStatusCode(500));
        });
        gateway = TestGateway.withRoutes("""
                - id: upload
                  upstream: %s
                """.formatted(upstream.url()));

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/upload"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(BODY_BYTES))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(BODY_BYTES + " " + PatternStream.checksum(BODY_BYTES));
    }

    @Test
    void streamsAResponseBodyToTheClient() throws Exception {
        upstream = TestUpstream.start(exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, BODY_BYTES);
            exchange.startBlocking();
            if (exchange.isInIoThread()) {
                exchange.dispatch(ex -> writePattern(ex.getOutputStream()));
            } else {
                writePattern(exchange.getOutputStream());
            }
        });
        gateway = TestGateway.withRoutes("""
                - id: download
                  upstream: %s
                """.formatted(upstream.url()));

        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(gateway.uri("/download")).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        long count = 0;
        long checksum = 0;
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                count += n;
                for (int i = 0; i < n; i++) {
                    checksum += buffer[i] & 0xff;
                }
            }
        }
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(count).isEqualTo(BODY_BYTES);
        assertThat(checksum).isEqualTo(PatternStream.checksum(BODY_BYTES));
    }

    private static void writePattern(java.io.OutputStream out) throws java.io.IOException {
        try (PatternStream in = new PatternStream(BODY_BYTES); out) {
            in.transferTo(out);
        }
    }

    /** A deterministic byte stream of any length that is never held in memory whole. */
    static final class PatternStream extends InputStream {
        private final long length;
        private long position;

        PatternStream(long length) {
            this.length = length;
        }

        static int byteAt(long position) {
            return (int) ((position * 31 + (position >>> 13)) & 0xff);
        }

        static long checksum(long length) {
            long sum = 0;
            for (long i = 0; i < length; i++) {
                sum += byteAt(i);
            }
            return sum;
        }

        @Override
        public int read() {
            return position < length ? byteAt(position++) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) byteAt(position++);
            }
            return n;
        }
    }
}
