package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridgate.loadtest.ObservabilityScenario.AccessLog;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ObservabilityScenarioTest {

    private static final InetSocketAddress BACKEND = new InetSocketAddress("127.0.0.1", 9001);

    @Test
    void configuresThePlainNodeWithoutTracingAndWithTheAccessLogOff() {
        String yaml = GridgateNode.config(ObservabilityScenario.routes(BACKEND), 9100, 9101, 9102)
                + ObservabilityScenario.plainSections();

        assertThat(yaml).isEqualTo("""
                server: {bindAddress: 127.0.0.1, port: 9100, ioThreads: 1}
                admin: {bindAddress: 127.0.0.1, port: 9101}
                cluster: {bindAddress: 127.0.0.1, port: 9102}
                routes:
                  - id: bench
                    match: {pathPrefix: /}
                    upstream: http://127.0.0.1:9001
                accessLog: {enabled: false}
                """);
    }

    @Test
    void configuresTheObservedNodeToTraceEveryRequestToTheSinkAndToLogToAFile() {
        String sections = ObservabilityScenario.observedSections("http://127.0.0.1:4318", AccessLog.FILE,
                Path.of("/tmp/bench/observed/access.log"));

        assertThat(sections).isEqualTo("""
                tracing:
                  endpoint: http://127.0.0.1:4318
                  protocol: http/protobuf
                  sampler: always_on
                  exportDelay: 200ms
                  maxQueueSize: 8192
                accessLog: {enabled: true, output: file, file: /tmp/bench/observed/access.log}
                """);
    }

    @Test
    void turnsTheObservedNodesAccessLogOffExplicitlyWhenItIsOffSinceTheNodesDefaultIsStdout() {
        assertThat(ObservabilityScenario.observedSections("http://127.0.0.1:4318", AccessLog.OFF, null))
                .startsWith("tracing:\n").endsWith("maxQueueSize: 8192\naccessLog: {enabled: false}\n");
        assertThat(ObservabilityScenario.observedSections("http://127.0.0.1:4318", AccessLog.STDOUT, null))
                .endsWith("accessLog: {enabled: true, output: stdout}\n");
    }

    @Test
    void recognisesANodeThatDoesNotKnowTheAccessLogSection() {
        assertThat(ObservabilityScenario.refusedAccessLog("gridgate exited with status 2 before it was ready; log x:\n"
                + "gridgate.yaml:8:1 /accessLog: unknown key (expected: one of server, admin, cluster, services,"
                + " routes, auth, tracing)")).isTrue();
        assertThat(ObservabilityScenario.refusedAccessLog("gridgate not ready after PT1M30S")).isFalse();
    }

    @Test
    void describesBothNodesAndRefusesOthers() {
        assertThat(ObservabilityScenario.describe("plain", AccessLog.FILE)).isEqualTo("tracing off, access log off");
        assertThat(ObservabilityScenario.describe("observed", AccessLog.OFF)).contains("always_on",
                "OFF (--access-log off: tracing only)");
        assertThatThrownBy(() -> ObservabilityScenario.describe("nginx", AccessLog.FILE))
                .hasMessage("target: nginx (expected: one of [plain, observed])");
    }

    @Test
    void measuresPlainAndObservedWithTheAccessLogToAFileByDefault() {
        BenchmarkOptions o = BenchmarkOptions.parse("--scenario", "observability");

        assertThat(o.scenario()).isEqualTo(Scenario.OBSERVABILITY);
        assertThat(o.targets()).containsExactly("plain", "observed");
        assertThat(o.accessLog()).isEqualTo(AccessLog.FILE);
        assertThat(o.scenario().latencyPhase()).isFalse();
        assertThat(BenchmarkOptions.parse("--access-log", "OFF", "--scenario", "observability").accessLog())
                .isEqualTo(AccessLog.OFF);
    }

    @Test
    void rejectsFlagsThatDoNotApplyToTheObservabilityScenario() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("--access-log", "off"))
                .hasMessage("--access-log: off (expected: only with --scenario observability)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "observability", "--access-log", "syslog"))
                .hasMessage("--access-log: syslog (expected: file, stdout or off)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "observability", "--targets", "observed"))
                .hasMessage("--targets: observed (expected: plain,observed for --scenario observability, whose"
                        + " figure is their ratio)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "observability", "--nginx", "/usr/sbin/nginx"))
                .hasMessage("--nginx: /usr/sbin/nginx (expected: only with --scenario proxy or cache; observability"
                        + " starts no nginx)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "observability", "--rate-fraction", "0.5"))
                .hasMessageStartingWith("--rate-fraction: 0.5 (expected: only with --scenario proxy, plugins or"
                        + " nodes;");
    }
}
