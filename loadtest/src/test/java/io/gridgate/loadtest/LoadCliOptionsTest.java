package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadCliOptionsTest {

    @Test
    void needsOnlyAUrlAndARateAndDefaultsTheRest() {
        LoadCliOptions o = LoadCliOptions.parse("--url", "http://127.0.0.1:8080/", "--rate", "500");

        assertThat(o).isEqualTo(new LoadCliOptions(List.of(URI.create("http://127.0.0.1:8080/")),
                Pacing.fixedRate(500), 32, 1, Duration.ofSeconds(30), Duration.ofSeconds(5), "GET", List.of(), null,
                null, Duration.ofSeconds(2), Path.of("loadtest/results")));
        assertThat(o.describe()).isEqualTo("GET http://127.0.0.1:8080/, open loop at 500 req/s, 32 connections on 1"
                + " thread(s), 5s warm-up + 30s");
    }

    @Test
    void readsEveryFlagWithSpacesOrEqualsSigns() {
        LoadCliOptions o = LoadCliOptions.parse("--url", "http://n1:8080/a,http://n2:8080/a", "--url=http://n3/a",
                "--closed-loop", "--connections", "12", "--threads=2", "--duration", "1m", "--warmup", "0s",
                "--header", "Authorization: Bearer x.y.z", "--header", "X-Tenant: t1", "--method", "post",
                "--body-file", "order.json", "--timeout", "500ms", "--report-dir", "/tmp/r");

        assertThat(o.urls()).containsExactly(URI.create("http://n1:8080/a"), URI.create("http://n2:8080/a"),
                URI.create("http://n3/a"));
        assertThat(o.pacing()).isEqualTo(Pacing.closedLoop());
        assertThat(o.connections()).isEqualTo(12);
        assertThat(o.threads()).isEqualTo(2);
        assertThat(o.duration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.warmup()).isZero();
        assertThat(o.headers()).containsExactly(new RequestTemplate.Header("Authorization", "Bearer x.y.z"),
                new RequestTemplate.Header("X-Tenant", "t1"));
        assertThat(o.method()).isEqualTo("POST");
        assertThat(o.body()).isNull();
        assertThat(o.bodyFile()).isEqualTo(Path.of("order.json"));
        assertThat(o.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.reportDir()).isEqualTo(Path.of("/tmp/r"));
        assertThat(o.describe()).isEqualTo("POST over 3 URLs, closed loop, 12 connections on 2 thread(s), 0s"
                + " warm-up + 60s");
    }

    @Test
    void raisesTheDefaultConnectionsToOnePerUrlOnEveryThread() {
        String urls = String.join(",", java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> "http://n" + i + ":8080/").toList());

        assertThat(LoadCliOptions.parse("--url", urls, "--rate", "10", "--threads", "2").connections())
                .isEqualTo(40);
    }

    @Test
    void namesTheFlagTheValueAndWhatWasExpected() {
        assertError("--rate: fast (expected: requests per second, a number > 0)",
                "--url", "http://a/", "--rate", "fast");
        assertError("--rate: 0 (expected: requests per second, a number > 0)", "--url", "http://a/", "--rate", "0");
        assertError("--connections: 0 (expected: an integer >= 1)", "--url", "http://a/", "--closed-loop",
                "--connections", "0");
        assertError("--duration: 10 (expected: a whole number with ms, s or m, e.g. 10s)", "--url", "http://a/",
                "--closed-loop", "--duration", "10");
        assertError("--timeout: 0s (expected: > 0)", "--url", "http://a/", "--closed-loop", "--timeout", "0s");
        assertError("--url: https://a/ (expected: http://; the generator speaks plain HTTP/1.1)",
                "--url", "https://a/", "--closed-loop");
        assertError("--header: Bearer abc (expected: Name: value)", "--url", "http://a/", "--closed-loop",
                "--header", "Bearer abc");
        assertError("--method: HEAD (expected: not HEAD or CONNECT; the generator reads a full response to every"
                + " request)", "--url", "http://a/", "--closed-loop", "--method", "head");
        assertError("--header: Content-Length (expected: not Content-Length or Transfer-Encoding; the generator"
                + " frames the body itself)", "--url", "http://a/", "--closed-loop", "--header", "Content-Length: 4");
    }

    @Test
    void rejectsUnknownMissingAndConflictingFlags() {
        assertError("--rps: unknown flag (--help lists them)", "--url", "http://a/", "--rps", "5");
        assertError("http://a/: unknown flag (--help lists them)", "http://a/");
        assertError("--duration: missing value", "--url", "http://a/", "--closed-loop", "--duration");
        assertError("--url: missing (expected: at least one, e.g. --url http://127.0.0.1:8080/)", "--rate", "5");
        assertError("--rate: missing (expected: --rate N for an open loop at N req/s, or --closed-loop to find the"
                + " peak)", "--url", "http://a/");
        assertError("--closed-loop: given with --rate 5 (expected: one of the two)", "--url", "http://a/", "--rate",
                "5", "--closed-loop");
        assertError("--url: [http://a/, http://b/, http://a/] (expected: each URL once)", "--url",
                "http://a/,http://b/", "--url", "http://a/", "--rate", "5");
        assertError("--url: http://a/,,http://b/ (expected: URLs separated by single commas)", "--url",
                "http://a/,,http://b/", "--rate", "5");
        assertError("--body-file: b.json (expected: not with --body)", "--url", "http://a/", "--rate", "5",
                "--body", "{}", "--body-file", "b.json");
        assertError("--connections: 3 (expected: >= 4, one per URL on each of 2 thread(s))", "--url",
                "http://a/,http://b/", "--rate", "5", "--threads", "2", "--connections", "3");
    }

    private static void assertError(String message, String... args) {
        assertThatThrownBy(() -> LoadCliOptions.parse(args)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
