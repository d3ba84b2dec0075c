package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkOptionsTest {

    @Test
    void defaultsToAllThreeTargetsAllOnCpuOneAndAboutThreeAndAHalfMinutes() {
        BenchmarkOptions o = BenchmarkOptions.parse();

        assertThat(o.targets()).containsExactly("direct", "nginx", "gridgate");
        assertThat(o.pinning()).isEqualTo(CpuPinning.Mode.ONE_CPU);
        assertThat(o.cpu()).isEqualTo(1);
        assertThat(o.gridgateJar()).isEqualTo(Path.of("node/target/gridgate.jar"));
        // typical priming (2 warm-ups per target, up to 5 for a slow-settling JIT)
        // + 2 phases x rounds x targets x (warm-up + duration)
        Duration perRun = o.warmup().plus(o.duration());
        Duration total = o.warmup().multipliedBy(2L * o.targets().size())
                .plus(perRun.multipliedBy(2L * o.rounds() * o.targets().size()));
        assertThat(total).isLessThanOrEqualTo(Duration.ofSeconds(225));
    }

    @Test
    void readsEveryFlag() {
        BenchmarkOptions o = BenchmarkOptions.parse("--gridgate-jar", "/x/g.jar", "--duration", "10s",
                "--warmup", "500ms", "--rounds", "5", "--connections", "64", "--threads", "2",
                "--targets", "nginx,direct", "--rate-fraction", "0.5", "--results-dir", "/tmp/r", "--nginx",
                "/usr/sbin/nginx", "--pinning", "one-cpu", "--cpu", "3", "--priming", "20s");

        assertThat(o).isEqualTo(new BenchmarkOptions(Path.of("/x/g.jar"), Duration.ofSeconds(10),
                Duration.ofMillis(500), 5, 64, 2, List.of("direct", "nginx"), 0.5, Path.of("/tmp/r"),
                CpuPinning.Mode.ONE_CPU, 3, "/usr/sbin/nginx", Scenario.PROXY, 100,
                ObservabilityScenario.AccessLog.FILE, 200, Duration.ofMillis(20), ClusterLimit.Mode.EXACT,
                Duration.ofSeconds(20), 1.0));
    }

    @Test
    void tracesEveryObservedRequestUnlessTheSamplerRatioSaysOtherwise() {
        assertThat(BenchmarkOptions.parse("--scenario", "observability").samplerRatio()).isEqualTo(1.0);
        assertThat(BenchmarkOptions.parse().samplerRatio()).as("unused outside observability").isEqualTo(1.0);
        assertThat(BenchmarkOptions.parse("--sampler-ratio", "0.1", "--scenario", "observability").samplerRatio())
                .isEqualTo(0.1);
        assertThat(BenchmarkOptions.parse("--scenario", "observability", "--sampler-ratio", "1").samplerRatio())
                .isEqualTo(1.0);
        assertThat(BenchmarkOptions.parse("--scenario", "observability", "--sampler-ratio", "1e-4").samplerRatio())
                .isEqualTo(0.0001);
    }

    @Test
    void refusesASamplerRatioOutsideTheObservabilityScenarioOrOutsideZeroToOne() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("--sampler-ratio", "0.1"))
                .hasMessage("--sampler-ratio: 0.1 (expected: only with --scenario observability)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "plugins", "--sampler-ratio", "1"))
                .hasMessage("--sampler-ratio: 1 (expected: only with --scenario observability)");
        for (String ratio : List.of("0", "-0.1", "1.5", "ten", "NaN")) {
            assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "observability", "--sampler-ratio", ratio))
                    .as(ratio)
                    .hasMessage("--sampler-ratio: " + ratio + " (expected: a ratio > 0 and <= 1, such as 0.1 for 10 %"
                            + " of requests; 1, the default, traces every request; 0 traces none, which is what the"
                            + " plain node is)");
        }
    }

    @Test
    void keepsTheSplitLayoutAndUnpinnedRunsBehindThePinningFlag() {
        assertThat(BenchmarkOptions.parse("--pinning", "split").pinning()).isEqualTo(CpuPinning.Mode.SPLIT);
        assertThat(BenchmarkOptions.parse("--pinning", "none").pinning()).isEqualTo(CpuPinning.Mode.NONE);
    }

    @Test
    void measuresPlainLeasedAndExactRoutesWithALeaseOfAHundredInTheRateLimitScenario() {
        BenchmarkOptions o = BenchmarkOptions.parse("--scenario", "ratelimit");

        assertThat(o.scenario()).isEqualTo(Scenario.RATELIMIT);
        assertThat(o.targets()).containsExactly("plain", "leased", "exact");
        assertThat(o.leaseSize()).isEqualTo(100);
        assertThat(o.scenario().latencyPhase()).isFalse();
        assertThat(BenchmarkOptions.parse().scenario()).isEqualTo(Scenario.PROXY);
    }

    @Test
    void readsTheRateLimitFlagsInAnyOrderAndKeepsTheScenariosRouteOrder() {
        BenchmarkOptions o = BenchmarkOptions.parse("--targets", "exact,plain", "--lease-size", "10", "--scenario",
                "ratelimit");

        assertThat(o.targets()).containsExactly("plain", "exact");
        assertThat(o.leaseSize()).isEqualTo(10);
    }

    @Test
    void rejectsFlagsThatDoNotApplyToTheScenario() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("--lease-size", "10"))
                .hasMessage("--lease-size: 10 (expected: only with --scenario ratelimit, or plugins or nodes with"
                        + " --limit-mode leased)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "ratelimit", "--lease-size", "0"))
                .hasMessage("--lease-size: 0 (expected: an integer from 1 to 10000)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "ratelimit", "--rate-fraction", "0.5"))
                .hasMessage("--rate-fraction: 0.5 (expected: only with --scenario proxy, plugins or nodes; ratelimit"
                        + " measures saturation only)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "ratelimit", "--nginx", "/usr/sbin/nginx"))
                .hasMessage("--nginx: /usr/sbin/nginx (expected: only with --scenario proxy or cache; ratelimit"
                        + " starts no nginx)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "ratelimit", "--targets", "direct"))
                .hasMessage("--targets: direct (expected: a comma-separated subset of plain,leased,exact for"
                        + " --scenario ratelimit)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "lru"))
                .hasMessage("--scenario: lru (expected: proxy, ratelimit, cache, observability, compose, plugins or"
                        + " nodes)");
    }

    @Test
    void keepsTheComposeFlagsAndTheClusterLimitFlagsToTheirOwnScenarios() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "plugins", "--rate", "200"))
                .hasMessage("--rate: 200 (expected: only with --scenario compose; plugins sets its latency rate with"
                        + " --rate-fraction)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "nodes", "--rate", "12.5"))
                .hasMessage("--rate: 12.5 (expected: only with --scenario compose; nodes sets its latency rate with"
                        + " --rate-fraction)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "plugins", "--upstream-delay", "20ms"))
                .hasMessageStartingWith("--upstream-delay: 20ms (expected: only with --scenario compose;");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "compose", "--limit-mode", "leased"))
                .hasMessage("--limit-mode: leased (expected: only with --scenario plugins or nodes)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "compose", "--lease-size", "20"))
                .hasMessage("--lease-size: 20 (expected: only with --scenario ratelimit, or plugins or nodes with"
                        + " --limit-mode leased)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "compose", "--rate-fraction", "0.5"))
                .hasMessage("--rate-fraction: 0.5 (expected: only with --scenario proxy, plugins or nodes; compose"
                        + " runs at the fixed --rate)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "ratelimit", "--rate", "200"))
                .hasMessage("--rate: 200 (expected: only with --scenario compose; ratelimit measures saturation"
                        + " only)");
    }

    @Test
    void primesAnyScenarioForAtLeastPrimingAndKeepsEachScenariosOwnRunLengths() {
        BenchmarkOptions compose = BenchmarkOptions.parse("--scenario", "compose", "--priming", "30s");

        assertThat(compose.priming()).isEqualTo(Duration.ofSeconds(30));
        assertThat(compose.duration()).isEqualTo(ComposeScenario.DURATION);
        assertThat(compose.warmup()).isEqualTo(ComposeScenario.WARMUP);
        assertThat(compose.rounds()).isEqualTo(ComposeScenario.ROUNDS);
        assertThat(BenchmarkOptions.parse("--scenario", "compose").priming()).isZero();
        BenchmarkOptions plugins = BenchmarkOptions.parse("--scenario", "plugins");
        assertThat(plugins.duration()).isEqualTo(Duration.ofSeconds(6));
        assertThat(plugins.warmup()).isEqualTo(Duration.ofSeconds(3));
        assertThat(plugins.rounds()).isEqualTo(3);
        assertThat(plugins.priming()).isEqualTo(Duration.ofSeconds(60));
        assertThat(BenchmarkOptions.parse("--scenario", "ratelimit", "--priming", "10s").priming())
                .isEqualTo(Duration.ofSeconds(10));
        BenchmarkOptions nodes = BenchmarkOptions.parse("--scenario", "nodes", "--limit-mode", "leased",
                "--lease-size", "50", "--rounds", "2");
        assertThat(nodes.clusterLimit()).isEqualTo(new ClusterLimit(ClusterLimit.Mode.LEASED, 50));
        assertThat(nodes.rounds()).isEqualTo(2);
        assertThat(nodes.rate()).as("unused outside compose").isEqualTo(BenchmarkOptions.DEFAULT_COMPOSE_RATE);
    }

    @Test
    void measuresLatencyAtAFractionOfThroughputOnlyWhereThereAreSaturationRounds() {
        for (Scenario scenario : Scenario.values()) {
            assertThat(scenario.saturationPhase()).as(scenario.flag()).isEqualTo(scenario != Scenario.COMPOSE);
            assertThat(scenario.ratedByFraction()).as(scenario.flag())
                    .isEqualTo(scenario.saturationPhase() && scenario.latencyPhase());
        }
        assertThat(Scenario.COMPOSE.latencyPhase()).isTrue();
        assertThat(Scenario.withRateFraction()).isEqualTo("proxy, plugins or nodes");
        assertThat(BenchmarkOptions.parse("--scenario", "compose").rateFraction()).as("unused there")
                .isEqualTo(0.7);
    }

    @Test
    void measuresDirectNginxAndTheNodesPlainAndCachingRoutesInTheCacheScenario() {
        BenchmarkOptions o = BenchmarkOptions.parse("--scenario", "cache", "--nginx", "/usr/sbin/nginx");

        assertThat(o.scenario()).isEqualTo(Scenario.CACHE);
        assertThat(o.targets()).containsExactly("direct", "nginx", "gridgate", "cached");
        assertThat(o.nginx()).isEqualTo("/usr/sbin/nginx");
        assertThat(o.scenario().latencyPhase()).isFalse();
        assertThat(BenchmarkOptions.parse("--scenario", "cache", "--targets", "cached,nginx").targets())
                .containsExactly("nginx", "cached");
    }

    @Test
    void refusesACacheRunWithoutTheCachedRouteOrWithProxyOnlyFlags() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "cache", "--targets", "direct,nginx"))
                .hasMessage("--targets: direct,nginx (expected: including cached for --scenario cache, whose"
                        + " figures are about it)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "cache", "--rate-fraction", "0.5"))
                .hasMessage("--rate-fraction: 0.5 (expected: only with --scenario proxy, plugins or nodes; cache"
                        + " measures saturation only)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "cache", "--lease-size", "10"))
                .hasMessage("--lease-size: 10 (expected: only with --scenario ratelimit, or plugins or nodes with"
                        + " --limit-mode leased)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "cache", "--targets", "plain,cached"))
                .hasMessage("--targets: plain,cached (expected: a comma-separated subset of"
                        + " direct,nginx,gridgate,cached for --scenario cache)");
    }

    @Test
    void acceptsMinutesAndAZeroWarmup() {
        BenchmarkOptions o = BenchmarkOptions.parse("--duration", "1m", "--warmup", "0s");

        assertThat(o.duration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.warmup()).isZero();
    }

    @Test
    void rejectsBadValuesNamingTheFlag() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("--duration", "10"))
                .hasMessage("--duration: 10 (expected: a whole number with ms, s or m, e.g. 10s)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--duration", "0s"))
                .hasMessage("--duration: 0s (expected: > 0)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--rounds", "0"))
                .hasMessage("--rounds: 0 (expected: an integer >= 1)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--targets", "direct,envoy"))
                .hasMessage("--targets: direct,envoy (expected: a comma-separated subset of direct,nginx,gridgate for"
                        + " --scenario proxy)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--rate-fraction", "1.5"))
                .hasMessage("--rate-fraction: 1.5 (expected: > 0 and <= 1)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--connections", "2", "--threads", "4"))
                .hasMessage("--threads: 4 (expected: <= --connections 2)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--verbose", "yes"))
                .hasMessage("--verbose: unknown flag");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--rounds"))
                .hasMessage("--rounds: missing value, or unknown flag");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--pinning", "two-cpu"))
                .hasMessage("--pinning: two-cpu (expected: one-cpu, split or none)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--cpu", "-1"))
                .hasMessage("--cpu: -1 (expected: an integer >= 0)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--pinning", "split", "--cpu", "1"))
                .hasMessage("--cpu: 1 (expected: only with --pinning one-cpu; split uses CPUs 0 and 1)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--no-pin"))
                .hasMessage("--no-pin: replaced by --pinning none");
    }
}
