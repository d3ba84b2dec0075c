package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class NodesScenarioTest {

    private static final InetSocketAddress BACKEND = new InetSocketAddress("127.0.0.1", 9001);
    private static final ClusterLimit EXACT = new ClusterLimit(ClusterLimit.Mode.EXACT, 100);

    @Test
    void configuresTheLoneNodeAsAClusterOfItsOwnWithTheRateLimitedRoute() {
        String yaml = GridgateNode.config(NodesScenario.routes(BACKEND, EXACT), 9100, 9101, NodesScenario.alone(9102))
                + GridgateNode.NO_ACCESS_LOG;

        assertThat(yaml).isEqualTo("""
                server: {bindAddress: 127.0.0.1, port: 9100, ioThreads: 1}
                admin: {bindAddress: 127.0.0.1, port: 9101}
                cluster: {name: bench-one, bindAddress: 127.0.0.1, port: 9102}
                routes:
                  - id: bench
                    match: {pathPrefix: /}
                    upstream: http://127.0.0.1:9001
                    rateLimits:
                      - id: bench
                        key: [clientIp]
                        limits: [{permits: 1000000000, per: 1h}]
                accessLog: {enabled: false}
                """);
    }

    @Test
    void listsEveryMemberOnLoopbackInEachOfTheThreeNodesConfigsAndExpectsThree() {
        List<GridgateNode.Cluster> members = NodesScenario.members(List.of(9201, 9202, 9203));

        assertThat(members).extracting(GridgateNode.Cluster::port).containsExactly(9201, 9202, 9203);
        assertThat(members.get(1).yaml()).isEqualTo("cluster: {name: bench-three, bindAddress: 127.0.0.1, port: 9202,"
                + " members: [\"127.0.0.1:9201\", \"127.0.0.1:9202\", \"127.0.0.1:9203\"], expectedMembers: 3}\n");
        assertThat(GridgateNode.config("", 9100, 9101, members.get(0)))
                .contains("\ncluster: {name: bench-three, bindAddress: 127.0.0.1, port: 9201, members: [")
                .endsWith("routes:\n");
        assertThat(NodesScenario.memberName(0)).isEqualTo("3-nodes-1");
        assertThatThrownBy(() -> NodesScenario.members(List.of(9201, 9202)))
                .hasMessage("ports: [9201, 9202] (expected: 3)");
    }

    @Test
    void keepsTheDefaultClusterSectionForANodeAlone() {
        assertThat(GridgateNode.Cluster.alone(9102).yaml())
                .isEqualTo("cluster: {bindAddress: 127.0.0.1, port: 9102}\n");
    }

    @Test
    void callsAClusterFormedOnlyWhenEveryNodeAnsweredAndSawAllTheOthers() {
        OptionalLong three = OptionalLong.of(3);

        assertThat(NodeCluster.formed(List.of(three, three, three))).isTrue();
        assertThat(NodeCluster.formed(List.of(three, three, OptionalLong.of(2)))).isFalse();
        assertThat(NodeCluster.formed(List.of(three, three, OptionalLong.empty()))).isFalse();
        assertThat(NodeCluster.describe(List.of(three, OptionalLong.of(1), OptionalLong.empty())))
                .isEqualTo("3, 1, ?");
    }

    @Test
    void describesBothTargetsAndRefusesOthers() {
        assertThat(NodesScenario.describe("1-node", EXACT)).startsWith("one node, a cluster of its own");
        assertThat(NodesScenario.describe("3-nodes", EXACT)).startsWith("3 nodes, one cluster");
        assertThatThrownBy(() -> NodesScenario.describe("2-nodes", EXACT))
                .hasMessage("target: 2-nodes (expected: one of [1-node, 3-nodes])");
    }

    @Test
    void measuresOneNodeAgainstThreeWithLatencyAtAQuarterOfTheSlowerThroughputByDefault() {
        BenchmarkOptions o = BenchmarkOptions.parse("--scenario", "nodes");

        assertThat(o.scenario()).isEqualTo(Scenario.NODES);
        assertThat(o.targets()).containsExactly("1-node", "3-nodes");
        assertThat(o.limitMode()).isEqualTo(ClusterLimit.Mode.EXACT);
        assertThat(o.rateFraction()).isEqualTo(0.25);
        assertThat(o.priming()).isEqualTo(Duration.ofSeconds(40));
        assertThat(BenchmarkOptions.parse("--scenario", "nodes", "--priming", "0s").priming()).isZero();
        assertThat(o.scenario().latencyPhase()).isTrue();
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "nodes", "--targets", "3-nodes"))
                .hasMessage("--targets: 3-nodes (expected: 1-node,3-nodes for --scenario nodes, whose figure is"
                        + " their ratio)");
    }
}
