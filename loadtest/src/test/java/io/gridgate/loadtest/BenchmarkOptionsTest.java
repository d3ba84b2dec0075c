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
                "/usr/sbin/nginx", "--pinning", "one-cpu", "--cpu", "3");

        assertThat(o).isEqualTo(new BenchmarkOptions(Path.of("/x/g.jar"), Duration.ofSeconds(10),
                Duration.ofMillis(500), 5, 64, 2, List.of("direct", "nginx"), 0.5, Path.of("/tmp/r"),
                CpuPinning.Mode.ONE_CPU, 3, "/usr/sbin/nginx"));
    }

    @Test
    void keepsTheSplitLayoutAndUnpinnedRunsBehindThePinningFlag() {
        assertThat(BenchmarkOptions.parse("--pinning", "split").pinning()).isEqualTo(CpuPinning.Mode.SPLIT);
        assertThat(BenchmarkOptions.parse("--pinning", "none").pinning()).isEqualTo(CpuPinning.Mode.NONE);
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
                .hasMessage("--targets: direct,envoy (expected: a comma-separated subset of direct,nginx,gridgate)");
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
