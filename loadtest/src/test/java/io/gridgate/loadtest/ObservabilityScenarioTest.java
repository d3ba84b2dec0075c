package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridgate.loadtest.ObservabilityScenario.AccessLog;
import io.gridgate.node.config.ConfigLoader;
import io.gridgate.node.config.TracingConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObservabilityScenarioTest {

    @Test
    void configuresThePlainNodeWithoutTracingAndWithTheAccessLogOff() {
        String yaml = NodeYaml.config(ObservabilityScenario.routes(NodeYaml.BACKEND))
                + ObservabilityScenario.plainSections();

        assertThat(yaml).isEqualTo(NodeYaml.HEAD + NodeYaml.CATCH_ALL + """
                accessLog: {enabled: false}
                """);
    }

    @Test
    void configuresTheObservedNodeToTraceEveryRequestToTheSinkAndToLogToAFile() {
        String sections = ObservabilityScenario.observedSections("http://127.0.0.1:4318", AccessLog.FILE,
                Path.of("/tmp/bench/observed/access.log"), ObservabilityScenario.ALWAYS_ON);

        assertThat(sections).isEqualTo("""
                tracing:
                  endpoint: http://127.0.0.1:4318
                  protocol: http/protobuf
                  sampler: always_on
                  exportDelay: 200ms
                  maxQueueSize: 8192
                  exportBatchSize: 2048
                accessLog: {enabled: true, output: file, file: /tmp/bench/observed/access.log}
                """);
    }

    @Test
    void samplesTheObservedNodesRequestsAtTheRatioBelowOneWithTheParentBasedRatioSampler() {
        String sections = ObservabilityScenario.observedSections("http://127.0.0.1:4318", AccessLog.FILE,
                Path.of("/tmp/bench/observed/access.log"), 0.1);

        assertThat(sections).isEqualTo("""
                tracing:
                  endpoint: http://127.0.0.1:4318
                  protocol: http/protobuf
                  sampler: parentbased_traceidratio
                  samplerArg: 0.1
                  exportDelay: 200ms
                  maxQueueSize: 8192
                  exportBatchSize: 2048
                accessLog: {enabled: true, output: file, file: /tmp/bench/observed/access.log}
                """);
        assertThat(ObservabilityScenario.observedSections("http://127.0.0.1:4318", AccessLog.OFF, null, 0.0001))
                .contains("  samplerArg: 0.0001\n");
    }

    @Test
    void writesSectionsTheNodesOwnConfigReaderTakesAsMeant(@TempDir Path dir) throws Exception {
        // The reader wants the access log's directory to exist, as the benchmark's run directory does.
        Path accessLog = dir.resolve("access.log");
        assertThat(nodeTracing(ObservabilityScenario.ALWAYS_ON, AccessLog.FILE, accessLog)).satisfies(t -> {
            assertThat(t.enabled()).isTrue();
            assertThat(t.endpoint()).contains("http://127.0.0.1:4318");
            assertThat(t.sampler()).isEqualTo("always_on");
            assertThat(t.samplerArg()).isEmpty();
            assertThat(t.exportDelay()).isEqualTo(ObservabilityScenario.EXPORT_DELAY);
            assertThat(t.maxQueueSize()).isEqualTo(ObservabilityScenario.MAX_QUEUE_SIZE);
            assertThat(t.exportBatchSize()).isEqualTo(ObservabilityScenario.EXPORT_BATCH_SIZE);
        });
        for (double ratio : new double[] {0.1, 0.5, 0.0001}) {
            TracingConfig t = nodeTracing(ratio, AccessLog.FILE, accessLog);
            assertThat(t.sampler()).as("ratio %s", ratio).isEqualTo("parentbased_traceidratio");
            assertThat(t.samplerArg()).as("ratio %s", ratio).isEqualTo(Optional.of(ratio));
        }
        String plain = NodeYaml.config(ObservabilityScenario.routes(NodeYaml.BACKEND))
                + ObservabilityScenario.plainSections();
        assertThat(ConfigLoader.parse("plain.yaml", plain, Map.of()).tracing().enabled()).isFalse();
    }

    /** The observed node's whole config, as the benchmark writes it, read by the node's loader (no OTEL_* set). */
    private static TracingConfig nodeTracing(double samplerRatio, AccessLog accessLog, Path accessLogFile)
            throws Exception {
        String yaml = NodeYaml.config(ObservabilityScenario.routes(NodeYaml.BACKEND))
                + ObservabilityScenario.observedSections("http://127.0.0.1:4318", accessLog, accessLogFile,
                        samplerRatio);
        return ConfigLoader.parse("observed.yaml", yaml, Map.of()).tracing();
    }

    @Test
    void turnsTheObservedNodesAccessLogOffExplicitlyWhenItIsOffSinceTheNodesDefaultIsStdout() {
        assertThat(ObservabilityScenario.observedSections("http://127.0.0.1:4318", AccessLog.OFF, null, 1.0))
                .startsWith("tracing:\n")
                .endsWith("maxQueueSize: 8192\n  exportBatchSize: 2048\naccessLog: {enabled: false}\n");
        assertThat(ObservabilityScenario.observedSections("http://127.0.0.1:4318", AccessLog.STDOUT, null, 1.0))
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
        assertThat(ObservabilityScenario.describe("plain", AccessLog.FILE, 0.1))
                .isEqualTo("tracing off, access log off");
        assertThat(ObservabilityScenario.describe("observed", AccessLog.OFF, 1.0)).startsWith("tracing always_on"
                + " (100 % of requests), OTLP/HTTP").contains("OFF (--access-log off: tracing only)");
        assertThat(ObservabilityScenario.describe("observed", AccessLog.FILE, 0.1)).startsWith("tracing"
                + " parentbased_traceidratio 0.1 (10 % of requests), OTLP/HTTP");
        assertThatThrownBy(() -> ObservabilityScenario.describe("nginx", AccessLog.FILE, 1.0))
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
