package io.gridgate.loadtest;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The rate-limit scenario: one Gridgate node with three routes to the same backend that differ only in their rate
 * limit, {@code /plain} (none), {@code /leased} and {@code /exact}. One node serves all three, so its JIT warms them
 * all, and the rounds interleave them as the proxy benchmark interleaves its targets.
 *
 * <p>Each limit has one hot key (the key is the client IP, and all load comes from 127.0.0.1) and
 * {@value #PERMITS_PER_SECOND} permits per second, far above any loopback rate: it never refuses, so the runs measure
 * what checking a limit costs, not what refusing does. The two limits have their own policy ids, so they never share
 * counters. With one node the grid is in-process (the member owns every partition): a grid round trip is an
 * operation on a Hazelcast partition thread of the same JVM, not a network hop.
 */
final class RateLimitScenario {

    /** The routes, in the order every round measures them; each is also its target's name and path. */
    static final List<String> ROUTES = List.of("plain", "leased", "exact");
    static final long PERMITS_PER_SECOND = 100_000_000L;

    private RateLimitScenario() {
    }

    /** The three routes as node config (YAML list items under {@code routes:}). */
    static String routes(InetSocketAddress backend, int leaseSize) {
        return route("plain", backend)
                + route("leased", backend) + limit("leased", "mode: leased\n        leaseSize: " + leaseSize)
                + route("exact", backend) + limit("exact", "mode: exact");
    }

    /** A route's limit in a few words, for the report. */
    static String describe(String route, int leaseSize) {
        return switch (route) {
            case "plain" -> "no limit";
            case "leased" -> "mode leased, leaseSize " + leaseSize;
            case "exact" -> "mode exact";
            default -> throw new IllegalArgumentException("route: " + route + " (expected: one of " + ROUTES + ")");
        };
    }

    /** The measured routes of {@code node}, one target each, named and ordered as {@code names}. */
    static List<Target> targets(GridgateNode node, List<String> names) {
        return names.stream().<Target>map(name -> new NodeRoute(name, "/" + name, node)).toList();
    }

    private static String route(String name, InetSocketAddress backend) {
        return GridgateNode.route(name, "/" + name, backend);
    }

    private static String limit(String mode, String modeLines) {
        return """
                    rateLimits:
                      - id: bench-%s
                        key: [clientIp]
                        limits: [{permits: %d, per: 1s}]
                        %s
                """.formatted(mode, PERMITS_PER_SECOND, modeLines);
    }
}
