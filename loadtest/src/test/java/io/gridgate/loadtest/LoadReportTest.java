package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadReportTest {

    private static final Endpoint A = Endpoint.of(new InetSocketAddress("127.0.0.1", 8081), "/");
    private static final Endpoint B = Endpoint.of(new InetSocketAddress("127.0.0.1", 8082), "/");
    private static final Instant STARTED = Instant.parse("2026-11-27T10:15:30Z");

    @Test
    void reportsRatePercentilesAndAnEvenSplitOfAHealthyRun() {
        LoadReport report = report(options("--rate", "100"), healthy());
        String text = report.text(List.of(Path.of("r/load-1.json"), Path.of("r/load-1.hgrm")));

        assertThat(report.achievedRate()).isEqualTo(100.0);
        assertThat(report.exitStatus()).isZero();
        assertThat(text).isEqualTo("""
                GET over 2 URLs, open loop at 100 req/s, 32 connections on 1 thread(s), 0s warm-up + 10s
                requests    1,000 answered 2xx in the 10.0 s window (1,000 responses in all, warm-up included)
                rate        100.0 req/s achieved, 100 req/s asked
                latency     from each request's due time (coordinated omission corrected)
                            p50 500 us      p90 900 us      p99 990 us      p99.9 1.00 ms   max 1.00 ms
                errors      none
                per target        2xx  share   errors        p50        p99  url
                                  500  50.0%        0     500 us     990 us  http://127.0.0.1:8081/
                                  500  50.0%        0     500 us     990 us  http://127.0.0.1:8082/
                files       r/load-1.json
                            r/load-1.hgrm
                """);
    }

    @Test
    void breaksErrorsDownByKindAndStatusAndExitsWithThree() {
        EndpointResult good = new EndpointResult(A, 500, new ErrorCounts(0, 2, 1, 0, 0), new TreeMap<>(), latency(500));
        EndpointResult bad = new EndpointResult(B, 0, new ErrorCounts(500, 0, 0, 3, 0),
                new TreeMap<>(Map.of(503, 480L, 404, 20L)), new Histogram(3));
        LoadReport report = report(options("--closed-loop"), LoadResult.of(Pacing.closedLoop(),
                Duration.ofSeconds(10), 1_000, new Histogram(3), false, List.of(good, bad)));
        String text = report.text(List.of());

        assertThat(report.exitStatus()).isEqualTo(3);
        assertThat(text).contains("rate        50.0 req/s achieved (the peak for 32 connections)\n")
                .contains("latency     from each send (closed loop)\n")
                .contains("""
                        errors      506 (warm-up included)
                                    connect             2  failed connection attempts (retried every 50 ms)
                                    timeout             1  no answer within --timeout, or not sent by the end
                                    io                  3  connection reset or closed mid-answer, or a malformed answer
                                    status 404         20
                                    status 503        480
                        """)
                .contains("       500 100.0%        3 ")
                .contains("         0   0.0%      503          -          -  http://127.0.0.1:8082/")
                .doesNotContain("send lag");
    }

    @Test
    void summarisesTheRunInJsonWithoutHeaderValues() {
        LoadReport report = report(options("--rate", "100", "--header", "Authorization: Bearer secret.jwt.value"),
                healthy());
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("hgrm", Path.of("r/x.hgrm"));
        String json = report.json(files);

        assertThat(json).contains("\"startedAt\": \"2026-11-27T10:15:30Z\"", "\"mode\": \"open-loop\"",
                "\"rate\": 100", "\"succeeded\": 1000", "\"achievedRate\": 100", "\"p50\": 500", "\"p99\": 990.207",
                "\"max\": 1000.447", "\"latencyFrom\": \"due time\"", "\"url\": \"http://127.0.0.1:8082/\"",
                "\"headers\": [\n    \"Authorization: <23 chars>\"\n  ]", "\"hgrm\": \"r/x.hgrm\"",
                "\"byStatus\": {}")
                .doesNotContain("secret");
    }

    @Test
    void writesTheJsonTheHgrmAndThePlotWithoutOverwritingAnEarlierRun(@TempDir Path dir) throws Exception {
        LoadReport report = report(options("--rate", "100"), healthy());
        List<Path> first = report.write(dir);
        List<Path> second = report.write(dir);

        assertThat(first).extracting(p -> p.getFileName().toString()).allMatch(n -> n.startsWith("load-20261127-"))
                .extracting(n -> n.substring(n.lastIndexOf('.'))).containsExactly(".json", ".hgrm", ".html");
        assertThat(second).doesNotContainAnyElementsOf(first).allMatch(Files::exists);
        assertThat(Files.readString(first.get(1))).contains("Value     Percentile TotalCount 1/(1-Percentile)")
                .contains("#[Max     =        1.000");
        assertThat(Files.readString(first.get(2))).contains("<svg", "http://127.0.0.1:8081/", "all targets");
        assertThat(Files.readString(first.get(0))).contains("\"html\": \"" + first.get(2) + "\"");
    }

    @Test
    void formatsLatenciesInTheUnitThatReadsBest() {
        assertThat(LoadReport.micros(850)).isEqualTo("850 us");
        assertThat(LoadReport.micros(1_234)).isEqualTo("1.23 ms");
        assertThat(LoadReport.micros(123_456)).isEqualTo("123.5 ms");
        assertThat(LoadReport.micros(12_345_678)).isEqualTo("12.35 s");
        assertThat(LoadReport.micros(Double.NaN)).isEqualTo("-");
    }

    private static LoadResult healthy() {
        return LoadResult.of(Pacing.fixedRate(100), Duration.ofSeconds(10), 1_000, new Histogram(3), false, List.of(
                new EndpointResult(A, 500, ErrorCounts.NONE, new TreeMap<>(), latency(500)),
                new EndpointResult(B, 500, ErrorCounts.NONE, new TreeMap<>(), latency(500))));
    }

    /** {@code n} values spread evenly over 2 us .. 1 ms. */
    private static Histogram latency(int n) {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= n; i++) {
            h.recordValue(i * 1_000_000L / n);
        }
        return h;
    }

    private static LoadCliOptions options(String... flags) {
        List<String> args = new java.util.ArrayList<>(List.of("--url", A.url() + "," + B.url(), "--warmup", "0s",
                "--duration", "10s"));
        args.addAll(List.of(flags));
        return LoadCliOptions.parse(args.toArray(String[]::new));
    }

    private static LoadReport report(LoadCliOptions options, LoadResult result) {
        return new LoadReport(options, result, STARTED);
    }
}
