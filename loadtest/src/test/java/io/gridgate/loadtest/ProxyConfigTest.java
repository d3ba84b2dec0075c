package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyConfigTest {

    @Test
    void nginxUsesOneWorkerUpstreamKeepAliveAndNoAccessLog() {
        String conf = NginxProxy.config(NodeYaml.BACKEND, 9002, Path.of("/tmp/bench/nginx"));

        assertThat(conf)
                .contains("worker_processes 1;")
                .contains("access_log off;")
                .contains("server 127.0.0.1:9001;")
                .contains("keepalive 128;")
                .contains("proxy_http_version 1.1;")
                .contains("proxy_set_header Connection \"\";")
                .contains("listen 127.0.0.1:9002;")
                .contains("pid /tmp/bench/nginx/nginx.pid;");
    }

    @Test
    void gridgateGetsTheContractedConfigWithOneRouteForEveryPath() {
        String yaml = NodeYaml.config(GridgateNode.catchAllRoute(NodeYaml.BACKEND));

        assertThat(yaml).isEqualTo(NodeYaml.HEAD + NodeYaml.CATCH_ALL);
    }

    @Test
    void startsTheProxyOnTheSharedCpuInOneCpuMode() {
        assertThat(CpuPinning.oneCpu(1).onProxyCpu(List.of("nginx"))).containsExactly("taskset", "-c", "1", "nginx");
        assertThat(CpuPinning.oneCpu(3).onProxyCpu(List.of("nginx"))).containsExactly("taskset", "-c", "3", "nginx");
    }

    @Test
    void startsTheProxyOnCpuOneInSplitModeAndUnpinnedWithoutPinning() {
        assertThat(CpuPinning.split().onProxyCpu(List.of("nginx"))).containsExactly("taskset", "-c", "1", "nginx");
        assertThat(CpuPinning.none().onProxyCpu(List.of("nginx"))).containsExactly("nginx");
    }

    @Test
    void runsTheNodeOnAFixedHeapWithTheSerialCollector() {
        assertThat(GridgateNode.HEAP_FLAGS).contains("-Xms512m", "-Xmx512m", "-XX:+UseSerialGC");
    }

    @Test
    void readsCoreUtilisationFromProcStatLines() {
        var before = CpuAccounting.CoreTicks.parse("cpu1 100 0 50 800 50 0 0 0 0 0");
        var after = CpuAccounting.CoreTicks.parse("cpu1 160 0 90 850 50 0 0 0 0 0");

        assertThat(after.busySince(before)).isEqualTo(100.0 / 150);
    }
}
