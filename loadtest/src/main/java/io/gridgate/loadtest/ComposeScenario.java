package io.gridgate.loadtest;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The compose scenario: three delayed JSON upstreams ({@link ComposeBackend}) and one Gridgate node with a plain route
 * to the slowest of them ({@code /slowest}) and a composite route ({@code /composed}) that calls all three in parallel
 * and merges their answers. Every run is open loop at the same fixed rate, and the targets are the slowest upstream
 * directly ({@code direct-slowest}), through the plain route ({@code proxy-slowest}) and the composition
 * ({@code composed}): the composition can answer no sooner than its slowest call, so composed minus direct-slowest is
 * what composing adds to a client's wait, and composed minus proxy-slowest what it adds beyond a proxy hop.
 *
 * <p>Every answer's body is checked: the upstream's document for the first two, the merged document for
 * {@code composed}, so a composition that failed or merged wrongly counts as an error, not as a fast answer.
 */
final class ComposeScenario {

    static final String DIRECT = "direct-slowest";
    static final String PROXY = "proxy-slowest";
    static final String COMPOSED = "composed";
    /** The targets, in the order every round measures them. */
    static final List<String> TARGETS = List.of(DIRECT, PROXY, COMPOSED);

    /**
     * Run lengths unless flags say otherwise: priming (at least 5 x 2 s per target), then 5 rounds x 3 targets x 12 s;
     * about 4 minutes with start-up.
     */
    static final Duration DURATION = Duration.ofSeconds(10);
    static final Duration WARMUP = Duration.ofSeconds(2);
    static final int ROUNDS = 5;

    /** What composed p99 minus direct-slowest p99 should stay within (issue 10), at moderate load. */
    static final Duration ADDED_P99_TARGET = Duration.ofMillis(1);

    private static final String COMPOSED_PATH = "/composed";

    private ComposeScenario() {
    }

    /** The node's two routes as config (YAML list items under {@code routes:}). */
    static String routes(InetSocketAddress upstreams) {
        String upstream = GridgateNode.upstream(upstreams);
        StringBuilder yaml = new StringBuilder(GridgateNode.route("slowest", ComposeBackend.SLOWEST, upstreams));
        yaml.append("""
                  - id: composed
                    match: {path: %s}
                    compose:
                      calls:
                """.formatted(COMPOSED_PATH));
        for (String path : ComposeBackend.PATHS) {
            yaml.append("        - {id: %s, upstream: %s, path: %s}\n".formatted(callId(path), upstream, path));
        }
        return yaml.toString();
    }

    /** The merged document the composite route answers: each upstream's under its call's id, in call order. */
    static String composedBody(Duration delay) {
        StringBuilder json = new StringBuilder("{");
        for (String path : ComposeBackend.PATHS) {
            json.append(json.length() > 1 ? "," : "").append('"').append(callId(path)).append("\":")
                    .append(ComposeBackend.body(path, ComposeBackend.delayOf(path, delay)));
        }
        return json.append('}').toString();
    }

    /** The slowest upstream's document, which direct-slowest and proxy-slowest answer. */
    static String slowestBody(Duration delay) {
        return ComposeBackend.body(ComposeBackend.SLOWEST, ComposeBackend.delayOf(ComposeBackend.SLOWEST, delay));
    }

    /** {@code target} aimed at {@code upstreams} directly or at {@code node}'s route, with the body it must answer. */
    static Target target(String target, ComposeBackend upstreams, GridgateNode node, Duration delay) {
        return switch (target) {
            case DIRECT -> new CheckedTarget(target, upstreams.address(), ComposeBackend.SLOWEST, slowestBody(delay),
                    null);
            case PROXY -> new CheckedTarget(target, node.address(), ComposeBackend.SLOWEST, slowestBody(delay), node);
            case COMPOSED -> new CheckedTarget(target, node.address(), COMPOSED_PATH, composedBody(delay), node);
            default -> throw new IllegalArgumentException("target: " + target + " (expected: one of " + TARGETS + ")");
        };
    }

    /** Whether {@code target} is one of the node's routes rather than the upstream itself. */
    static boolean onNode(String target) {
        return !target.equals(DIRECT);
    }

    /** A target in a few words, for the report. */
    static String describe(String target, Duration delay) {
        String slowest = millis(ComposeBackend.delayOf(ComposeBackend.SLOWEST, delay));
        return switch (target) {
            case DIRECT -> "the slowest upstream, " + ComposeBackend.SLOWEST + " (" + slowest + "), no proxy";
            case PROXY -> "Gridgate route " + ComposeBackend.SLOWEST + ", plain proxy to the slowest upstream";
            case COMPOSED -> "Gridgate route " + COMPOSED_PATH + ", composite: " + ComposeBackend.PATHS.size()
                    + " calls in parallel (" + millis(delay) + ", " + millis(delay) + ", " + slowest + "), merged";
            default -> throw new IllegalArgumentException("target: " + target + " (expected: one of " + TARGETS + ")");
        };
    }

    /** Milliseconds as the report prints them: {@code 20 ms}, {@code 2.5 ms}. */
    static String millis(Duration d) {
        double ms = d.toNanos() / 1e6;
        return (ms == Math.rint(ms) ? Long.toString((long) ms) : Double.toString(ms)) + " ms";
    }

    /** The call that fetches {@code path}: {@code fast-a} for {@code /fast-a}. */
    private static String callId(String path) {
        return path.substring(1);
    }
}
