package io.gridgate.loadtest;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The plugins scenario: two Gridgate nodes with the same catch-all route to the same backend, from the same jar with
 * the same flags on the same CPU. {@code plain} has nothing on it: no auth, no rate limit, tracing off. {@code plugins}
 * has the three plugins a typical API route has: JWT auth (HS256, with an issuer; every request of the load carries a
 * valid {@code Authorization: Bearer} token), a cluster rate limit that never refuses ({@link ClusterLimit}) and
 * tracing at 100 % sampling to the benchmark's {@link OtlpSink}. Both have the access log off, so the figure is those
 * three alone (the observability scenario measures the access log). Tracing is a node-wide setting, hence two nodes.
 */
final class PluginsScenario {

    /** The targets, in the order every round measures them; each is a node of its own. */
    static final List<String> TARGETS = List.of("plain", "plugins");
    static final String PLAIN = "plain";
    static final String PLUGINS = "plugins";
    /** The JWT issuer's id in the node's {@code auth} section, and the route's {@code auth.methods} entry. */
    static final String ISSUER_ID = "bench";
    /** The {@code iss} the node requires and the token carries. */
    static final String ISSUER = "https://issuer.bench.gridgate.test";
    static final String SUBJECT = "bench-client";
    /** The token's lifetime: far beyond a run, so it never expires during one. */
    static final Duration TOKEN_LIFETIME = Duration.ofDays(1);

    private static final int SECRET_BYTES = 48;

    private PluginsScenario() {
    }

    /** A fresh HS256 secret for one run, 48 random bytes as base64url (64 characters; HS256 asks for 32 bytes). */
    static String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The plain node's route: every path to {@code backend}. */
    static String plainRoutes(InetSocketAddress backend) {
        return GridgateNode.catchAllRoute(backend);
    }

    /** The plugins node's route: the same, with JWT auth and {@code limit}. */
    static String pluginsRoutes(InetSocketAddress backend, ClusterLimit limit) {
        return GridgateNode.catchAllRoute(backend)
                + """
                    auth:
                      methods: [jwt:%s]
                """.formatted(ISSUER_ID)
                + limit.yaml();
    }

    /** The plain node's sections after its routes: the access log off (no {@code tracing}: tracing off). */
    static String plainSections() {
        return GridgateNode.NO_ACCESS_LOG;
    }

    /**
     * The plugins node's sections after its routes: the JWT issuer with {@code secret}, tracing to {@code sinkEndpoint}
     * as the observability scenario traces, and the access log off.
     */
    static String pluginsSections(String secret, String sinkEndpoint) {
        return """
                auth:
                  jwt:
                    - id: %s
                      keys: [{algorithm: HS256, secret: "%s"}]
                      issuer: %s
                """.formatted(ISSUER_ID, secret, ISSUER)
                + ObservabilityScenario.observedSections(sinkEndpoint, ObservabilityScenario.AccessLog.OFF, null,
                        ObservabilityScenario.ALWAYS_ON);
    }

    /** A token the plugins node accepts: HS256 with {@code secret}, its issuer, a subject, issued now. */
    static String token(String secret, Instant now) {
        String claims = "{\"iss\":\"%s\",\"sub\":\"%s\",\"iat\":%d,\"exp\":%d}".formatted(ISSUER, SUBJECT,
                now.getEpochSecond(), now.plus(TOKEN_LIFETIME).getEpochSecond());
        return JwtHs256.sign(claims, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** What every request of the plugins node's load is: a GET with the token. */
    static RequestTemplate authorized(String token) {
        return RequestTemplate.of("GET", List.of(new RequestTemplate.Header("Authorization", "Bearer " + token)),
                new byte[0]);
    }

    /** A target in a few words, for the report. */
    static String describe(String target, ClusterLimit limit) {
        return switch (target) {
            case PLAIN -> "no auth, no rate limit, tracing off, access log off";
            case PLUGINS -> "JWT auth (HS256, issuer checked, a valid Bearer token on every request); "
                    + limit.describe() + "; tracing always_on, OTLP/HTTP to a sink on loopback, "
                    + ObservabilityScenario.exportSettings() + "; access log off";
            default -> throw new IllegalArgumentException("target: " + target + " (expected: one of " + TARGETS + ")");
        };
    }

    /**
     * One check of the nodes before the rounds, made with a plain HTTP client: without the plugins in force, the
     * figure would be about something else.
     *
     * @param what the request, e.g. "plugins node without a token"
     * @param expectedStatus the status it should get
     * @param rateLimited whether its answer should carry the limit's {@code RateLimit-Policy} header
     */
    record Check(String what, int expectedStatus, boolean rateLimited) {

        /** The checks, in order: each node as the load will see it, and the plugins node without a token. */
        static final List<Check> ALL = List.of(
                new Check("plain node, no token", 200, false),
                new Check("plugins node, no token", 401, false),
                new Check("plugins node, the load's token", 200, true));

        /** What is wrong with an answer of {@code status} with or without {@code RateLimit-Policy}, if anything. */
        Optional<String> problem(int status, Optional<String> policyHeader) {
            if (status != expectedStatus) {
                return Optional.of(what + ": status " + status + " (expected: " + expectedStatus + ")");
            }
            boolean limited = policyHeader.filter(v -> v.contains("\"" + ClusterLimit.POLICY + "\"")).isPresent();
            if (limited != rateLimited) {
                return Optional.of(what + ": RateLimit-Policy " + policyHeader.orElse("absent") + " (expected: "
                        + (rateLimited ? "the \"" + ClusterLimit.POLICY + "\" policy" : "absent") + ")");
            }
            return Optional.empty();
        }
    }
}
