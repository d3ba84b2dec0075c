package io.gridgate.loadtest;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The nodes scenario: one Gridgate node against a cluster of three node processes, from the same jar with the same
 * flags and the same route: every path to the backend, with a cluster rate limit ({@link ClusterLimit}) so that the
 * grid is at work on every request (in exact mode, the default). The three are members of one cluster, listed
 * explicitly on loopback; the lone node is a cluster of its own, under another name. The load goes round-robin over
 * the three nodes' URLs, as an L4 balancer in front of them would send it.
 *
 * <p>Every process is pinned to the same CPU budget: with {@code --pinning one-cpu} (the default) the generator, the
 * backend and every node share one core, so three nodes cannot be faster than one; the ratio is what clustering costs
 * on that core: the grid operations that cross to another member (the limit's one key has its partition on one
 * member, so requests that land on the other two ask it over loopback TCP), the backup of every counter write on
 * another member, the members' heartbeats, and three JVMs instead of one. With {@code --pinning split} the nodes share
 * CPU 1 and the load has CPU 0.
 */
final class NodesScenario {

    /** The targets, in the order every round measures them. */
    static final List<String> TARGETS = List.of("1-node", "3-nodes");
    static final String ONE = "1-node";
    static final String THREE = "3-nodes";
    static final int CLUSTER_SIZE = 3;
    /** Cluster names, so that the lone node and the three never join each other. */
    static final String ONE_CLUSTER = "bench-one";
    static final String THREE_CLUSTER = "bench-three";

    private NodesScenario() {
    }

    /** Every node's one route: every path to {@code backend}, with {@code limit}. */
    static String routes(InetSocketAddress backend, ClusterLimit limit) {
        return GridgateNode.catchAllRoute(backend) + limit.yaml();
    }

    /** The lone node's {@code cluster} section, on {@code port}. */
    static GridgateNode.Cluster alone(int port) {
        return new GridgateNode.Cluster(ONE_CLUSTER, port, List.of());
    }

    /** The three members' {@code cluster} sections, one per port in {@code ports}, each listing all of them. */
    static List<GridgateNode.Cluster> members(List<Integer> ports) {
        if (ports.size() != CLUSTER_SIZE) {
            throw new IllegalArgumentException("ports: " + ports + " (expected: " + CLUSTER_SIZE + ")");
        }
        List<GridgateNode.Cluster> members = new ArrayList<>();
        for (int port : ports) {
            members.add(new GridgateNode.Cluster(THREE_CLUSTER, port, ports));
        }
        return List.copyOf(members);
    }

    /** The name of the cluster's member {@code index} (0-based): its directory and its name in messages. */
    static String memberName(int index) {
        return THREE + "-" + (index + 1);
    }

    /** A target in a few words, for the report. */
    static String describe(String target, ClusterLimit limit) {
        return switch (target) {
            case ONE -> "one node, a cluster of its own (the grid in-process); " + limit.describe();
            case THREE -> CLUSTER_SIZE + " nodes, one cluster (members listed on loopback), the load round-robin over"
                    + " their URLs; the same route and limit";
            default -> throw new IllegalArgumentException("target: " + target + " (expected: one of " + TARGETS + ")");
        };
    }
}
