package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class PluginsScenarioTest {

    private static final ClusterLimit EXACT = new ClusterLimit(ClusterLimit.Mode.EXACT, 100);
    private static final String SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void configuresThePlainNodeWithTheBareRouteNoTracingAndTheAccessLogOff() {
        String yaml = NodeYaml.config(PluginsScenario.plainRoutes(NodeYaml.BACKEND))
                + PluginsScenario.plainSections();

        assertThat(yaml).isEqualTo(NodeYaml.HEAD + NodeYaml.CATCH_ALL + """
                accessLog: {enabled: false}
                """);
    }

    @Test
    void configuresThePluginsNodeWithJwtAuthAClusterLimitThatNeverRefusesAndTracingToTheSink() {
        String yaml = NodeYaml.config(PluginsScenario.pluginsRoutes(NodeYaml.BACKEND, EXACT))
                + PluginsScenario.pluginsSections(SECRET, "http://127.0.0.1:4318");

        assertThat(yaml).isEqualTo(NodeYaml.HEAD + NodeYaml.CATCH_ALL + """
                    auth:
                      methods: [jwt:bench]
                    rateLimits:
                      - id: bench
                        key: [clientIp]
                        limits: [{permits: 1000000000, per: 1h}]
                auth:
                  jwt:
                    - id: bench
                      keys: [{algorithm: HS256, secret: "%s"}]
                      issuer: https://issuer.bench.gridgate.test
                tracing:
                  endpoint: http://127.0.0.1:4318
                  protocol: http/protobuf
                  sampler: always_on
                  exportDelay: 200ms
                  maxQueueSize: 8192
                  exportBatchSize: 2048
                accessLog: {enabled: false}
                """.formatted(SECRET));
    }

    @Test
    void putsALeasedLimitWithItsLeaseSizeOnTheRouteWhenAsked() {
        String routes = PluginsScenario.pluginsRoutes(NodeYaml.BACKEND, new ClusterLimit(ClusterLimit.Mode.LEASED, 50));

        assertThat(routes).endsWith("""
                        limits: [{permits: 1000000000, per: 1h}]
                        mode: leased
                        leaseSize: 50
                """);
        assertThat(new ClusterLimit(ClusterLimit.Mode.LEASED, 50).expectedGridTripsPerRequest()).isEqualTo(0.02);
        assertThat(EXACT.expectedGridTripsPerRequest()).isEqualTo(1);
    }

    @Test
    void signsTheLoadsTokenWithTheSecretForTheIssuerValidForADay() throws Exception {
        Instant now = Instant.ofEpochSecond(1_800_000_000L);

        String token = PluginsScenario.token(SECRET, now);

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(decode(parts[0])).isEqualTo("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        assertThat(decode(parts[1])).isEqualTo("{\"iss\":\"https://issuer.bench.gridgate.test\","
                + "\"sub\":\"bench-client\",\"iat\":1800000000,\"exp\":1800086400}");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(Base64.getUrlDecoder().decode(parts[2])).isEqualTo(expected);
        assertThat(parts[2]).doesNotContain("=");
    }

    @Test
    void signsTheWellKnownExampleTokenOfJwtIoByteForByte() {
        // jwt.io's example: {"sub":"1234567890","name":"John Doe","iat":1516239022} with "your-256-bit-secret".
        String token = JwtHs256.sign("{\"sub\":\"1234567890\",\"name\":\"John Doe\",\"iat\":1516239022}",
                "your-256-bit-secret".getBytes(StandardCharsets.UTF_8));

        assertThat(token).isEqualTo("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
                + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
                + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
    }

    @Test
    void sendsTheTokenAsABearerAuthorizationHeader() {
        RequestTemplate request = PluginsScenario.authorized("a.b.c");

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.headers()).containsExactly(new RequestTemplate.Header("Authorization", "Bearer a.b.c"));
        assertThat(request.bodyLength()).isZero();
    }

    @Test
    void makesAFreshSecretLongEnoughForHs256EachRun() {
        String one = PluginsScenario.newSecret();

        assertThat(one).hasSize(64).matches("[A-Za-z0-9_-]+");
        assertThat(PluginsScenario.newSecret()).isNotEqualTo(one);
    }

    @Test
    void acceptsOnlyTheAnswersThatShowThePluginsInForce() {
        PluginsScenario.Check plain = PluginsScenario.Check.ALL.get(0);
        PluginsScenario.Check anonymous = PluginsScenario.Check.ALL.get(1);
        PluginsScenario.Check authorized = PluginsScenario.Check.ALL.get(2);
        Optional<String> policy = Optional.of("\"bench\";q=1000000000;w=3600");

        assertThat(plain.problem(200, Optional.empty())).isEmpty();
        assertThat(anonymous.problem(401, Optional.empty())).isEmpty();
        assertThat(authorized.problem(200, policy)).isEmpty();
        assertThat(anonymous.problem(200, policy)).contains("plugins node, no token: status 200 (expected: 401)");
        assertThat(authorized.problem(200, Optional.empty())).contains("plugins node, the load's token:"
                + " RateLimit-Policy absent (expected: the \"bench\" policy)");
        assertThat(plain.problem(200, policy)).contains("plain node, no token: RateLimit-Policy"
                + " \"bench\";q=1000000000;w=3600 (expected: absent)");
    }

    @Test
    void describesBothNodesAndRefusesOthers() {
        assertThat(PluginsScenario.describe("plain", EXACT)).isEqualTo("no auth, no rate limit, tracing off, access"
                + " log off");
        assertThat(PluginsScenario.describe("plugins", EXACT)).contains("JWT auth (HS256",
                "1,000,000,000 per 1h (never refuses), mode exact", "tracing always_on", "access log off");
        assertThatThrownBy(() -> PluginsScenario.describe("observed", EXACT))
                .hasMessage("target: observed (expected: one of [plain, plugins])");
    }

    @Test
    void measuresPlainAndPluginsWithAnExactLimitAndLatencyAtAQuarterOfTheSlowerThroughputByDefault() {
        BenchmarkOptions o = BenchmarkOptions.parse("--scenario", "plugins");

        assertThat(o.scenario()).isEqualTo(Scenario.PLUGINS);
        assertThat(o.targets()).containsExactly("plain", "plugins");
        assertThat(o.limitMode()).isEqualTo(ClusterLimit.Mode.EXACT);
        assertThat(o.scenario().latencyPhase()).isTrue();
        assertThat(o.rateFraction()).isEqualTo(0.25);
        assertThat(o.priming()).isEqualTo(Duration.ofSeconds(60));
        assertThat(BenchmarkOptions.parse().priming()).isZero();
        assertThat(BenchmarkOptions.parse("--scenario", "plugins", "--rate-fraction", "0.3").rateFraction())
                .isEqualTo(0.3);
        assertThat(BenchmarkOptions.parse().rateFraction()).isEqualTo(0.7);
        BenchmarkOptions leased = BenchmarkOptions.parse("--scenario", "plugins", "--limit-mode", "Leased",
                "--lease-size", "20");
        assertThat(leased.clusterLimit()).isEqualTo(new ClusterLimit(ClusterLimit.Mode.LEASED, 20));
    }

    @Test
    void rejectsFlagsThatDoNotApplyToThePluginsScenario() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "plugins", "--targets", "plugins"))
                .hasMessage("--targets: plugins (expected: plain,plugins for --scenario plugins, whose figure is"
                        + " their ratio)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "plugins", "--lease-size", "20"))
                .hasMessage("--lease-size: 20 (expected: only with --scenario ratelimit, or plugins or nodes with"
                        + " --limit-mode leased)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "plugins", "--limit-mode", "sloppy"))
                .hasMessage("--limit-mode: sloppy (expected: exact or leased)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--limit-mode", "leased"))
                .hasMessage("--limit-mode: leased (expected: only with --scenario plugins or nodes)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "plugins", "--nginx", "/usr/sbin/nginx"))
                .hasMessage("--nginx: /usr/sbin/nginx (expected: only with --scenario proxy or cache; plugins starts"
                        + " no nginx)");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "plugins", "--access-log", "off"))
                .hasMessage("--access-log: off (expected: only with --scenario observability)");
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
