package io.gridgate.loadtest;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Several Gridgate node processes in one cluster, measured as one target: the load goes round-robin over their URLs,
 * and their CPU and grid round trips add up. Closing it leaves the nodes running (the benchmark stops them with the
 * others).
 */
final class NodeCluster implements Target {

    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(90);
    private static final long POLL_MILLIS = 200;

    private final String name;
    private final List<GridgateNode> nodes;

    private NodeCluster(String name, List<GridgateNode> nodes) {
        this.name = name;
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Starts every member side by side (each is handed to {@code started} as soon as its process runs, so that the
     * benchmark stops it whatever happens next), waits until each serves, and then until each sees all the others.
     */
    static NodeCluster start(String name, List<GridgateNode.Builder> members, Consumer<GridgateNode> started) {
        List<GridgateNode> nodes = new ArrayList<>();
        for (GridgateNode.Builder member : members) {
            GridgateNode node = member.spawn();
            started.accept(node);
            nodes.add(node);
        }
        nodes.forEach(GridgateNode::awaitReady);
        NodeCluster cluster = new NodeCluster(name, nodes);
        cluster.awaitFormed();
        return cluster;
    }

    /**
     * Waits until every node sees all members; a member counts its cluster in its readiness only after a grace
     * period, so ready alone does not mean joined.
     */
    private void awaitFormed() {
        long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
        while (!formed(members())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not form a cluster of " + nodes.size() + " within "
                        + FORM_TIMEOUT + ": members seen " + describe(members()) + "; log of " + nodes.get(0).name()
                        + " (tail):\n" + nodes.get(0).logTail());
            }
            try {
                Thread.sleep(POLL_MILLIS); // waiting on other processes: there is no event to block on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + name + " to form", e);
            }
        }
    }

    /** The members each node sees, itself included, in the nodes' order; empty where a node does not answer. */
    List<OptionalLong> members() {
        return nodes.stream().map(GridgateNode::clusterMembers).toList();
    }

    /** Whether every node answered and saw all of {@code seen.size()} members. */
    static boolean formed(List<OptionalLong> seen) {
        return seen.stream().allMatch(m -> m.isPresent() && m.getAsLong() == seen.size());
    }

    /** The members each node sees, as "3, 3, 2" ("?" where a node did not answer). */
    static String describe(List<OptionalLong> seen) {
        return String.join(", ", seen.stream().map(m -> m.isPresent() ? Long.toString(m.getAsLong()) : "?").toList());
    }

    @Override
    public String name() {
        return name;
    }

    /** The first node's; the load goes to all of them, see {@link #endpoints()}. */
    @Override
    public InetSocketAddress address() {
        return nodes.get(0).address();
    }

    @Override
    public List<Endpoint> endpoints() {
        return nodes.stream().map(node -> Endpoint.of(node.address(), path())).toList();
    }

    /** All nodes' CPU together; empty if any cannot be read. */
    @Override
    public OptionalLong cpuNanos() {
        return sum(nodes.stream().map(GridgateNode::cpuNanos).toList());
    }

    /** All nodes' grid round trips together; empty if any cannot be read. */
    @Override
    public OptionalLong gridRoundTrips() {
        return sum(nodes.stream().map(GridgateNode::gridRoundTrips).toList());
    }

    @Override
    public void close() {
        // The nodes belong to the benchmark, which stops them with the others.
    }

    private static OptionalLong sum(List<OptionalLong> values) {
        long sum = 0;
        for (OptionalLong value : values) {
            if (value.isEmpty()) {
                return OptionalLong.empty();
            }
            sum += value.getAsLong();
        }
        return OptionalLong.of(sum);
    }
}
