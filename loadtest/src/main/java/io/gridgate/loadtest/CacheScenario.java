package io.gridgate.loadtest;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The cache scenario: the backend directly, nginx as a plain reverse proxy, and one Gridgate node with two routes to
 * the same backend, {@code /plain} (no cache, target {@code gridgate}) and {@code /cached} (a response cache, target
 * {@code cached}). Every measured request to {@code /cached} asks for the same resource, so after the first one, which
 * the benchmark sends before any round, each is a cache hit that never reaches the backend; {@link CacheHits} checks
 * that they were.
 *
 * <p>The backend sends no {@code Cache-Control}, so the route's TTL decides freshness, and the TTL,
 * {@value #TTL}, outlasts any run: no entry expires while the rounds run.
 */
final class CacheScenario {

    /** The targets, in the order every round measures them. */
    static final List<String> TARGETS = List.of("direct", "nginx", "gridgate", "cached");
    /** The caching route's TTL; a default run takes 3 to 4 minutes. */
    static final String TTL = "1h";

    private static final String PLAIN_PATH = "/plain";
    private static final String CACHED_PATH = "/cached";

    private CacheScenario() {
    }

    /** The node's two routes as config (YAML list items under {@code routes:}). */
    static String routes(InetSocketAddress backend) {
        return GridgateNode.route("plain", PLAIN_PATH, backend)
                + GridgateNode.route("cached", CACHED_PATH, backend)
                + """
                    cache:
                      ttl: %s
                """.formatted(TTL);
    }

    /** Whether {@code target} is one of the node's routes rather than a process of its own. */
    static boolean onNode(String target) {
        return target.equals("gridgate") || target.equals("cached");
    }

    /** The node's route for {@code target} ({@code gridgate} or {@code cached}) as a target of its own. */
    static Target route(String target, GridgateNode node) {
        return switch (target) {
            case "gridgate" -> new NodeRoute(target, PLAIN_PATH, node);
            case "cached" -> new NodeRoute(target, CACHED_PATH, node);
            default -> throw new IllegalArgumentException("target: " + target + " (expected: gridgate or cached)");
        };
    }

    /** A target in a few words, for the report. */
    static String describe(String target) {
        return switch (target) {
            case "direct" -> "the backend, no proxy";
            case "nginx" -> "nginx, plain reverse proxy, no cache";
            case "gridgate" -> "Gridgate route " + PLAIN_PATH + ", plain proxy, no cache";
            case "cached" -> "Gridgate route " + CACHED_PATH + ", cache ttl " + TTL + ", every measured request a hit";
            default -> throw new IllegalArgumentException("target: " + target + " (expected: one of " + TARGETS + ")");
        };
    }
}
