package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class OtlpSinkTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void answersTraceExportsWith200AndCountsTheirRequestsBytesAndSpans() throws Exception {
        byte[] body = OtlpSpansTest.field(1, OtlpSpansTest.field(2, OtlpSpansTest.scope(2)));
        try (OtlpSink sink = OtlpSink.start()) {
            assertThat(post(sink, "/v1/traces", body, false)).isEqualTo(200);
            assertThat(post(sink, "/v1/traces", body, true)).isEqualTo(200);

            Telemetry counts = sink.counts();
            assertThat(counts.exports()).isEqualTo(2);
            assertThat(counts.spans()).isEqualTo(4);
            assertThat(counts.bytes()).isGreaterThan(body.length); // one plain body and one gzipped, as sent
            assertThat(counts.sinkCpuNanos()).isPositive();
            assertThat(sink.rejected()).isZero();
        }
    }

    @Test
    void rejectsOtherPathsAndBodiesThatAreNotProtobufWithoutCountingThem() throws Exception {
        try (OtlpSink sink = OtlpSink.start()) {
            assertThat(post(sink, "/v1/metrics", new byte[] {0x0a, 0x00}, false)).isEqualTo(404);
            assertThat(post(sink, "/v1/traces", "{\"resourceSpans\": []}".getBytes(), false)).isEqualTo(400);

            assertThat(sink.counts().exports()).isZero();
            assertThat(sink.rejected()).isEqualTo(2);
        }
    }

    @Test
    void readsItsCountsOnceNothingHasArrivedForTheQuietPeriod() throws Exception {
        byte[] body = OtlpSpansTest.field(1, OtlpSpansTest.field(2, OtlpSpansTest.scope(1)));
        try (OtlpSink sink = OtlpSink.start()) {
            post(sink, "/v1/traces", body, false);
            long start = System.nanoTime();

            Telemetry counts = sink.countsWhenQuiet(Duration.ofMillis(200), Duration.ofSeconds(5));

            assertThat(counts.spans()).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    private int post(OtlpSink sink, String path, byte[] body, boolean gzip) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sink.endpoint() + path))
                .header("Content-Type", "application/x-protobuf");
        if (gzip) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
                zip.write(body);
            }
            body = out.toByteArray();
            request.header("Content-Encoding", "gzip");
        }
        return client.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
