package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ComposeScenarioTest {

    private static final InetSocketAddress UPSTREAMS = new InetSocketAddress("127.0.0.1", 9001);
    private static final Duration DELAY = Duration.ofMillis(20);

    @Test
    void configuresAPlainRouteToTheSlowestUpstreamAndACompositeRouteCallingAllThree() {
        String yaml = NodeYaml.config(ComposeScenario.routes(UPSTREAMS));

        assertThat(yaml).isEqualTo(NodeYaml.HEAD + """
                routes:
                  - id: slowest
                    match: {pathPrefix: /slowest}
                    upstream: http://127.0.0.1:9001
                  - id: composed
                    match: {path: /composed}
                    compose:
                      calls:
                        - {id: fast-a, upstream: http://127.0.0.1:9001, path: /fast-a}
                        - {id: fast-b, upstream: http://127.0.0.1:9001, path: /fast-b}
                        - {id: slowest, upstream: http://127.0.0.1:9001, path: /slowest}
                """);
    }

    @Test
    void expectsEachUpstreamsDocumentUnderItsCallsIdInCallOrder() {
        assertThat(ComposeScenario.composedBody(DELAY)).isEqualTo("{"
                + "\"fast-a\":{\"endpoint\":\"fast-a\",\"delayMicros\":20000,\"items\":[1,2,3]},"
                + "\"fast-b\":{\"endpoint\":\"fast-b\",\"delayMicros\":20000,\"items\":[1,2,3]},"
                + "\"slowest\":{\"endpoint\":\"slowest\",\"delayMicros\":25000,\"items\":[1,2,3]}}");
        assertThat(ComposeScenario.slowestBody(DELAY))
                .isEqualTo("{\"endpoint\":\"slowest\",\"delayMicros\":25000,\"items\":[1,2,3]}");
        assertThat(ComposeBackend.delayOf("/slowest", Duration.ofMillis(2))).isEqualTo(Duration.ofMillis(2).plusNanos(500_000));
        assertThat(ComposeBackend.delayOf("/fast-a", DELAY)).isEqualTo(DELAY);
    }

    @Test
    void aimsDirectAtTheUpstreamAndTheOtherTwoAtTheNodesRoutesEachWithTheBodyItMustAnswer() {
        try (ComposeBackend upstreams = ComposeBackend.start(DELAY)) {
            Target direct = ComposeScenario.target("direct-slowest", upstreams, null, DELAY);

            assertThat(direct.address()).isEqualTo(upstreams.address());
            assertThat(direct.path()).isEqualTo("/slowest");
            assertThat(direct.expectedBody()).hasValue(ComposeScenario.slowestBody(DELAY));
            assertThat(direct.cpuNanos()).isEmpty();
            assertThat(ComposeScenario.onNode("direct-slowest")).isFalse();
            assertThat(ComposeScenario.onNode("proxy-slowest")).isTrue();
            assertThat(ComposeScenario.onNode("composed")).isTrue();
            assertThatThrownBy(() -> ComposeScenario.target("nginx", upstreams, null, DELAY))
                    .hasMessage("target: nginx (expected: one of [direct-slowest, proxy-slowest, composed])");
        }
    }

    @Test
    void describesEveryTargetWithTheDelays() {
        assertThat(ComposeScenario.describe("direct-slowest", DELAY))
                .isEqualTo("the slowest upstream, /slowest (25 ms), no proxy");
        assertThat(ComposeScenario.describe("composed", Duration.ofMillis(2)))
                .isEqualTo("Gridgate route /composed, composite: 3 calls in parallel (2 ms, 2 ms, 2.5 ms), merged");
        assertThat(ComposeScenario.describe("proxy-slowest", DELAY)).contains("plain proxy");
    }

    @Test
    void measuresTheThreeTargetsAtTwoHundredRequestsASecondWithTwentyMillisecondUpstreamsByDefault() {
        BenchmarkOptions o = BenchmarkOptions.parse("--scenario", "compose");

        assertThat(o.scenario()).isEqualTo(Scenario.COMPOSE);
        assertThat(o.targets()).containsExactly("direct-slowest", "proxy-slowest", "composed");
        assertThat(o.rate()).isEqualTo(200);
        assertThat(o.upstreamDelay()).isEqualTo(DELAY);
        assertThat(o.scenario().saturationPhase()).isFalse();
        assertThat(o.scenario().latencyPhase()).isTrue();
        // priming (at least 5 closed-loop warm-ups per target) + rounds x targets x (warm-up + duration): with the
        // node's start-up and the build, within five minutes
        Duration total = o.warmup().multipliedBy(5L * o.targets().size())
                .plus(o.warmup().plus(o.duration()).multipliedBy((long) o.rounds() * o.targets().size()));
        assertThat(total).isLessThanOrEqualTo(Duration.ofSeconds(210));
        assertThat(BenchmarkOptions.parse("--scenario", "compose", "--rate", "500", "--upstream-delay", "50ms",
                "--duration", "5s", "--rounds", "2", "--targets", "composed,direct-slowest"))
                .satisfies(c -> {
                    assertThat(c.rate()).isEqualTo(500);
                    assertThat(c.upstreamDelay()).isEqualTo(Duration.ofMillis(50));
                    assertThat(c.duration()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(c.rounds()).isEqualTo(2);
                    assertThat(c.targets()).containsExactly("direct-slowest", "composed");
                });
        assertThat(BenchmarkOptions.parse().duration()).as("the other scenarios keep theirs")
                .isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void rejectsComposeFlagsElsewhereAndFlagsThatDoNotApplyToCompose() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("--rate", "200"))
                .hasMessage("--rate: 200 (expected: only with --scenario compose; proxy sets its latency rate with"
                        + " --rate-fraction)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "cache", "--upstream-delay", "20ms"))
                .hasMessage("--upstream-delay: 20ms (expected: only with --scenario compose; cache's backend answers"
                        + " at once)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "compose", "--rate", "0"))
                .hasMessage("--rate: 0 (expected: requests per second, > 0 and <= 1000000)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "compose", "--upstream-delay", "2s"))
                .hasMessageStartingWith("--upstream-delay: 2s (expected: at most 1s;");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "compose", "--rate-fraction", "0.5"))
                .hasMessage("--rate-fraction: 0.5 (expected: only with --scenario proxy, plugins or nodes; compose"
                        + " runs at the fixed --rate)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "compose", "--nginx", "/usr/sbin/nginx"))
                .hasMessage("--nginx: /usr/sbin/nginx (expected: only with --scenario proxy or cache; compose starts"
                        + " no nginx)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "compose", "--targets", "direct-slowest"))
                .hasMessage("--targets: direct-slowest (expected: including composed for --scenario compose, whose"
                        + " figures are about it)");
    }
}
