package io.gridgate.node.config;

import io.gridgate.node.config.AuthConfig.ApiKeys;
import io.gridgate.node.config.AuthConfig.Consumer;
import io.gridgate.node.config.AuthConfig.IdentityHeaders;
import io.gridgate.node.config.AuthConfig.JwtIssuer;
import io.gridgate.node.config.AuthConfig.JwtKey;
import io.gridgate.node.config.AuthConfig.TokenSource;
import io.gridgate.node.config.CircuitBreakerConfig.Window;
import io.gridgate.node.config.RetryConfig.Condition;
import io.gridgate.node.config.RouteAuthConfig.ClaimRequirement;
import io.gridgate.node.config.RouteAuthConfig.Requirement;
import io.gridgate.node.config.RouteConfig.HostHeader;
import io.gridgate.node.config.ValueMatch.Kind;
import io.gridgate.node.config.VersionsConfig.Source;
import io.gridgate.node.config.VersionsConfig.VersionTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    static final String FULL = """
            server:
              bindAddress: 0.0.0.0
              port: 9080
              ioThreads: 4
              http2: false
              tls:
                port: 9443
                keyStore: %s
                keyStorePassword: secret
                keyStoreType: jks
              drainTimeout: 45s
              requestParseTimeout: 500ms
              idleTimeout: 2m
              maxRequestHeaderBytes: 32768
              limits:
                maxHeaders: 50
                maxUrlBytes: 4096
                maxBodyBytes: 2GiB
                bodyReadTimeout: 15s
                strictFraming: false
                normalizePaths: false
              ipRules: {allow: [10.0.0.0/8, "2001:db8::/32"], deny: [10.0.0.5]}
              responseHeaders:
                set: {X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer}
                remove: [Server]
            admin:
              bindAddress: 10.0.0.1
              port: 9081
            cluster:
              name: edge-eu.1
              bindAddress: 10.0.0.1
              port: 5801
              members: [10.0.0.2, "10.0.0.3:5702", gw-3.internal]
            services:
              orders:
                circuitBreaker:
                  enabled: true
                  window: time
                  windowSize: 30
                  minimumCalls: 10
                  failureRate: 40
                  slowCallDuration: 5s
                  slowCallRate: 80
                  waitInOpen: 1m
                  halfOpenCalls: 3
                  failureStatuses: [500, 503, 429]
                  share: false
                  quorum: 2
                  probeJitter: 0s
                retryBudget: {percent: 10, minRetriesPerSecond: 0}
            auth:
              jwt:
                - id: corp
                  keys:
                    - kid: k1
                      algorithm: RS256
                      publicKey: |
            %2$s
                    - kid: k2
                      algorithm: ES256
                      publicKey: |
            %3$s
                    - algorithm: HS256
                      secret: "0123456789abcdef0123456789abcdef"
                  jwksUrl: https://id.example.com/.well-known/jwks.json
                  jwksRefresh: 5m
                  jwksMinInterval: 10s
                  issuer: https://id.example.com
                  audience: [api, admin-api]
                  leeway: 0s
                  requiredClaims: [exp, sub]
                  consumerClaim: client_id
                  from: {header: X-Token}
                - id: partner
                  jwksUrl: http://partner.example.com/jwks
                  audience: api
                  from: {cookie: token}
              apiKeys: {header: X-Key, query: api_key}
              consumers:
                - id: mobile-app
                  apiKeys: ["k_live_0123456789abcdef", "k_live_fedcba9876543210"]
                  scopes: [orders:read, orders:write]
                  roles: [admin]
                - id: batch
                  apiKeys: ["k_live_batch_0000000000"]
              identityHeaders:
                consumer: X-Client
                subject: X-Sub
                claims: {email: X-Auth-Email, tenant: X-Tenant}
            routes:
              - id: users
                match:
                  hosts: [API.example.com, "*.Example.com"]
                  path: /users/{id}
                  methods: [get, POST]
                  headers:
                    - name: X-Env
                      equals: canary
                    - name: X-Trace
                      regex: "^[a-f0-9]{32}$"
                  query:
                    - name: debug
                      present: true
                upstream: http://127.0.0.1:9000/base
                rewrite:
                  path: /internal/users/{id}
                hostHeader: upstream
                forwarded: true
                timeouts:
                  connect: 1s
                  responseHeader: 10s
                  total: 1m
                pool:
                  maxConnections: 8
                  maxQueue: 0
                  idleTimeout: 30s
                deprecation:
                  since: 2026-01-01T00:00:00Z
                  sunset: 2027-01-01T00:00:00Z
                  link: https://example.com/migrate
                retry:
                  attempts: 3
                  perTryTimeout: 2s
                  backoff: {base: 10ms, max: 1s}
                  on: [connect-failure, timeout, 503, 429]
                  nonIdempotent: true
                  maxBufferedBody: 1MiB
                fallback:
                  status: 200
                  headers: {Content-Type: application/json, X-Fallback: "true"}
                  body: '{"items": []}'
                auth:
                  methods: [jwt:corp, apiKey]
                  optional: true
                  scopes: {anyOf: [orders:read], allOf: [orders:write]}
                  roles: [admin]
                  claims: [{name: tenant, anyOf: [acme, globex]}]
                ipRules: {deny: ["192.168.0.0/16"]}
                maxBodyBytes: 1MiB
                cors:
                  allowOrigins: ["HTTPS://App.Example.com:443", "https://*.example.com", "http://localhost:3000"]
                  allowMethods: [get, PUT]
                  allowHeaders: [Authorization, Content-Type]
                  exposeHeaders: [X-Request-Id]
                  allowCredentials: true
                  maxAge: 10m
                responseHeaders:
                  set:
                    Strict-Transport-Security: "max-age=31536000; includeSubDomains"
                    X-Frame-Options: DENY
                  remove: [X-Debug]
                cache:
                  ttl: 30s
                  statuses: [200, 404]
                  maxEntryBytes: 256KiB
                  keyPerConsumer: true
                  keyHeaders: [Accept-Language]
                  maxStale: 0s
                  singleFlightWait: 2s
              - id: orders.v2
                match:
                  pathPrefix: /orders/
                versions:
                  from: [header, mediaType]
                  vendor: acme
                  default: 1
                  targets:
                    1: http://127.0.0.1:9001
                    "1.10":
                      upstream: https://orders.internal:9443
                      deprecation: { sunset: 2027-06-30T00:00:00Z }
                rewrite:
                  stripPrefix: /orders/
                retry: {attempts: 1}
                fallback: {route: users}
            """;

    /** {@link #FULL} with a key store path and two real public keys. */
    static String full(Path keyStore) {
        return FULL.formatted(keyStore, TestKeys.indented(TestKeys.RSA_2048, 12),
                TestKeys.indented(TestKeys.EC_P256, 12));
    }

    @Test
    void readsAFullExampleIntoExactlyTheExpectedRecords() throws Exception {
        Path keyStore = Files.writeString(dir.resolve("tls.p12"), "not really a key store");

        GatewayConfig config = ConfigLoader.parse("gridgate.yaml", full(keyStore), Map.of());

        assertThat(config.server()).isEqualTo(new ServerConfig("0.0.0.0", 9080, 4, false,
                Optional.of(TlsConfig.keyStore(9443, keyStore.toString(), "secret", "JKS")),
                Duration.ofSeconds(45), Duration.ofMillis(500), Duration.ofMinutes(2), 32768, List.of(),
                new LimitsConfig(50, 4096, 2L * 1024 * 1024 * 1024, Duration.ofSeconds(15), false, false),
                new IpRulesConfig(List.of("10.0.0.0/8", "2001:db8::/32"), List.of("10.0.0.5")),
                new ResponseHeadersConfig(Map.of("X-Content-Type-Options", "nosniff", "Referrer-Policy", "no-referrer"),
                        List.of("Server"))));
        assertThat(config.admin()).isEqualTo(new AdminConfig("10.0.0.1", 9081, Optional.empty(), Optional.empty()));
        assertThat(config.cluster()).isEqualTo(new ClusterConfig("edge-eu.1", "10.0.0.1", 5801,
                List.of("10.0.0.2", "10.0.0.3:5702", "gw-3.internal"), Optional.empty(), Optional.empty()));
        assertThat(config.routes()).hasSize(2);

        RouteConfig users = config.routes().get(0);
        assertThat(users).isEqualTo(new RouteConfig(
                "users",
                new MatchConfig(List.of("api.example.com", "*.example.com"), Optional.of("/users/{id}"),
                        Optional.empty(), List.of("GET", "POST"),
                        List.of(new ValueMatch("X-Env", Kind.EQUALS, "canary"),
                                new ValueMatch("X-Trace", Kind.REGEX, "^[a-f0-9]{32}$")),
                        List.of(new ValueMatch("debug", Kind.PRESENT, ""))),
                Optional.of("http://127.0.0.1:9000/base"),
                Optional.empty(),
                new RewriteConfig(Optional.empty(), Optional.of("/internal/users/{id}")),
                HostHeader.UPSTREAM,
                true,
                new TimeoutsConfig(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1)),
                new PoolConfig(8, 0, Duration.ofSeconds(30)),
                LoadBalancerConfig.DEFAULT,
                List.of(),
                List.of(),
                Optional.of(new DeprecationConfig(Optional.of(Instant.parse("2026-01-01T00:00:00Z")),
                        Optional.of(Instant.parse("2027-01-01T00:00:00Z")),
                        Optional.of("https://example.com/migrate"))),
                new RetryConfig(3, Optional.of(Duration.ofSeconds(2)), Duration.ofMillis(10), Duration.ofSeconds(1),
                        Set.of(Condition.CONNECT_FAILURE, Condition.TIMEOUT), Set.of(503, 429), true, 1024 * 1024),
                Optional.of(new FallbackConfig(Optional.empty(), 200,
                        Map.of("Content-Type", "application/json", "X-Fallback", "true"), "{\"items\": []}")),
                Optional.of(new RouteAuthConfig(List.of("jwt:corp", "apiKey"), true,
                        new Requirement(List.of("orders:read"), List.of("orders:write")),
                        new Requirement(List.of(), List.of("admin")),
                        List.of(new ClaimRequirement("tenant", List.of("acme", "globex"))))),
                new IpRulesConfig(List.of(), List.of("192.168.0.0/16")),
                Optional.of(1024L * 1024),
                Optional.of(new CorsConfig(
                        List.of("https://app.example.com", "https://*.example.com", "http://localhost:3000"),
                        List.of("GET", "PUT"), List.of("Authorization", "Content-Type"), List.of("X-Request-Id"),
                        true, Duration.ofMinutes(10))),
                new ResponseHeadersConfig(Map.of("Strict-Transport-Security", "max-age=31536000; includeSubDomains",
                        "X-Frame-Options", "DENY"), List.of("X-Debug")),
                Optional.of(new CacheConfig(Duration.ofSeconds(30), Set.of(200, 404), 256 * 1024, true,
                        List.of("Accept-Language"), Duration.ZERO, Duration.ofSeconds(2))),
                Optional.empty(), List.of()));
        assertThat(config.routes().get(1).cache()).isEmpty();

        RouteConfig orders = config.routes().get(1);
        assertThat(orders.id()).isEqualTo("orders.v2");
        assertThat(orders.match()).isEqualTo(new MatchConfig(List.of(), Optional.empty(), Optional.of("/orders"),
                List.of(), List.of(), List.of()));
        assertThat(orders.upstream()).isEmpty();
        assertThat(orders.versions()).contains(new VersionsConfig(
                List.of(Source.HEADER, Source.MEDIA_TYPE), "acme", Optional.of("1"),
                Map.of("1", new VersionTarget("http://127.0.0.1:9001", Optional.empty()),
                        "1.10", new VersionTarget("https://orders.internal:9443", Optional.of(new DeprecationConfig(
                                Optional.empty(), Optional.of(Instant.parse("2027-06-30T00:00:00Z")),
                                Optional.empty()))))));
        assertThat(orders.rewrite()).isEqualTo(new RewriteConfig(Optional.of("/orders"), Optional.empty()));
        assertThat(orders.hostHeader()).isEqualTo(HostHeader.PRESERVE);
        assertThat(orders.forwarded()).isFalse();
        assertThat(orders.timeouts()).isEqualTo(
                new TimeoutsConfig(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(60)));
        assertThat(orders.pool()).isEqualTo(new PoolConfig(32, 128, Duration.ofSeconds(60)));
        assertThat(orders.deprecation()).isEmpty();
        assertThat(orders.retry().enabled()).isFalse();
        assertThat(orders.fallback()).contains(new FallbackConfig(Optional.of("users"), 200, Map.of(), ""));
        assertThat(orders.auth()).isEmpty();
        assertThat(orders.ipRules()).isEqualTo(IpRulesConfig.NONE);
        assertThat(orders.maxBodyBytes()).isEmpty();
        assertThat(orders.cors()).isEmpty();
        assertThat(orders.responseHeaders()).isEqualTo(ResponseHeadersConfig.NONE);

        assertThat(config.auth()).isEqualTo(new AuthConfig(
                List.of(new JwtIssuer("corp",
                                List.of(new JwtKey(Optional.of("k1"), "RS256", Optional.empty(), Optional.of(TestKeys.RSA_2048)),
                                        new JwtKey(Optional.of("k2"), "ES256", Optional.empty(), Optional.of(TestKeys.EC_P256)),
                                        new JwtKey(Optional.empty(), "HS256",
                                                Optional.of("0123456789abcdef0123456789abcdef"), Optional.empty())),
                                Optional.of(URI.create("https://id.example.com/.well-known/jwks.json")),
                                Duration.ofMinutes(5), Duration.ofSeconds(10), Optional.of("https://id.example.com"),
                                List.of("api", "admin-api"), Duration.ZERO, List.of("exp", "sub"), "client_id",
                                new TokenSource(TokenSource.Kind.HEADER, "X-Token", "")),
                        new JwtIssuer("partner", List.of(), Optional.of(URI.create("http://partner.example.com/jwks")),
                                Duration.ofMinutes(10), Duration.ofSeconds(30), Optional.empty(), List.of("api"),
                                Duration.ofSeconds(30), List.of("exp"), "sub",
                                new TokenSource(TokenSource.Kind.COOKIE, "token", ""))),
                new ApiKeys("X-Key", Optional.of("api_key")),
                List.of(new Consumer("mobile-app", List.of("k_live_0123456789abcdef", "k_live_fedcba9876543210"),
                                List.of("orders:read", "orders:write"), List.of("admin")),
                        new Consumer("batch", List.of("k_live_batch_0000000000"), List.of(), List.of())),
                new IdentityHeaders("X-Client", "X-Sub", Map.of("email", "X-Auth-Email", "tenant", "X-Tenant"))));
        assertThat(config.auth().toString()).doesNotContain("0123456789abcdef0123456789abcdef", "k_live_");

        assertThat(config.service("orders")).isEqualTo(new ServiceConfig("orders", Optional.empty(),
                OutlierConfig.DEFAULT,
                new CircuitBreakerConfig(true, Window.TIME, 30, 10, 40, Duration.ofSeconds(5), 80,
                        Duration.ofMinutes(1), 3, Set.of(500, 503, 429), false, 2, Duration.ZERO),
                new RetryBudgetConfig(10, 0)));
    }

    @Test
    void theAccessLogIsOnToStandardOutputByDefaultAndCanGoToARotatedFile() throws Exception {
        assertThat(ConfigLoader.parse("gridgate.yaml", "", Map.of()).accessLog()).isEqualTo(AccessLogConfig.DEFAULT);
        assertThat(AccessLogConfig.DEFAULT).isEqualTo(new AccessLogConfig(true, AccessLogConfig.Output.STDOUT,
                Optional.empty(), 100L * 1024 * 1024, 5, 8192));

        String file = dir.resolve("access.log").toString();
        AccessLogConfig config = ConfigLoader.parse("gridgate.yaml", """
                accessLog: {output: file, file: "%s", maxFileSize: 10MiB, maxFiles: 3, queueSize: 100}
                """.formatted(file), Map.of()).accessLog();

        assertThat(config).isEqualTo(new AccessLogConfig(true, AccessLogConfig.Output.FILE, Optional.of(file),
                10L * 1024 * 1024, 3, 100));
        assertThat(ConfigLoader.parse("gridgate.yaml", "accessLog: {enabled: false}\n", Map.of()).accessLog().enabled())
                .isFalse();
    }

    @Test
    void anEmptyDocumentOrEmptyMappingGivesTheDefaultsAndNoRoutes() throws Exception {
        GatewayConfig expected = new GatewayConfig(
                new ServerConfig("0.0.0.0", 8080, 0, true, Optional.empty(), Duration.ofSeconds(30),
                        Duration.ofSeconds(10), Duration.ofSeconds(60), 65536, List.of(), LimitsConfig.DEFAULT,
                        IpRulesConfig.NONE, ResponseHeadersConfig.SERVER_DEFAULT),
                new AdminConfig("127.0.0.1", 8081, Optional.empty(), Optional.empty()),
                new ClusterConfig("gridgate", "127.0.0.1", 5701, List.of(), Optional.empty(), Optional.empty()),
                Map.of(),
                List.of(),
                AuthConfig.NONE);

        for (String text : List.of("", "{}", "# nothing yet\n", "---\n", "~\n", "server:\nroutes:\n", "auth:\n",
                "server: {limits: {}, ipRules: {}}\nauth: {jwt: [], consumers: [], apiKeys: {}, identityHeaders: {}}\n")) {
            assertThat(ConfigLoader.parse("gridgate.yaml", text, Map.of())).as(text).isEqualTo(expected);
        }
    }

    @Test
    void aRouteWithOnlyAnIdAndUpstreamGetsTheDefaults() throws Exception {
        RouteConfig route = ConfigLoader.parse("gridgate.yaml", """
                routes:
                  - id: all
                    upstream: https://backend.internal
                """, Map.of()).routes().get(0);

        assertThat(route).isEqualTo(new RouteConfig("all",
                new MatchConfig(List.of(), Optional.empty(), Optional.empty(), List.of(), List.of(), List.of()),
                Optional.of("https://backend.internal"), Optional.empty(), RewriteConfig.NONE, HostHeader.PRESERVE,
                false, new TimeoutsConfig(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(60)),
                new PoolConfig(32, 128, Duration.ofSeconds(60)), LoadBalancerConfig.DEFAULT, List.of(),
                List.of(), Optional.empty(), RetryConfig.DEFAULT, Optional.empty(), Optional.empty(), IpRulesConfig.NONE,
                Optional.empty(), Optional.empty(), ResponseHeadersConfig.NONE, Optional.empty(), Optional.empty(), List.of()));
    }

    @Test
    void corsMethodsDefaultToTheRoutesMethodsElseGetHeadAndPost() throws Exception {
        List<RouteConfig> routes = ConfigLoader.parse("gridgate.yaml", """
                routes:
                  - id: any
                    upstream: http://127.0.0.1:9000
                    cors: {allowOrigins: ["*"]}
                  - id: some
                    match: {methods: [GET, DELETE]}
                    upstream: http://127.0.0.1:9000
                    cors: {allowOrigins: ["https://app.example.com"]}
                """, Map.of()).routes();

        assertThat(routes.get(0).cors()).contains(new CorsConfig(List.of("*"), List.of("GET", "HEAD", "POST"),
                List.of(), List.of(), false, Duration.ofMinutes(5)));
        assertThat(routes.get(1).cors().orElseThrow().allowMethods()).containsExactly("GET", "DELETE");
    }

    @Test
    void serverResponseHeadersRemoveVersionBannersUnlessTheConfigSaysOtherwise() throws Exception {
        assertThat(ConfigLoader.parse("gridgate.yaml", "server: {responseHeaders: {set: {X-A: b}}}\n", Map.of())
                .server().responseHeaders())
                .isEqualTo(new ResponseHeadersConfig(Map.of("X-A", "b"), List.of("Server", "X-Powered-By")));
        assertThat(ConfigLoader.parse("gridgate.yaml", "server: {responseHeaders: {remove: []}}\n", Map.of())
                .server().responseHeaders())
                .isEqualTo(ResponseHeadersConfig.NONE);
    }

    @Test
    void retryOnReplacesBothTheDefaultConditionsAndStatuses() throws Exception {
        RetryConfig retry = ConfigLoader.parse("gridgate.yaml", """
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    retry: {on: [reset]}
                """, Map.of()).routes().get(0).retry();

        assertThat(retry).isEqualTo(new RetryConfig(2, Optional.empty(), Duration.ofMillis(25),
                Duration.ofMillis(250), Set.of(Condition.RESET), Set.of(), false, 65536));
    }

    @Test
    void theResponseCacheBoundsAreReadAndDefaultTo256MibAndTenThousandNearEntries() throws Exception {
        ClusterConfig defaults = ConfigLoader.parse("gridgate.yaml", "{}", Map.of()).cluster();
        ClusterConfig set = ConfigLoader.parse("gridgate.yaml",
                "cluster: {cache: {maxHeap: 1GiB, nearCacheEntries: 500}}", Map.of()).cluster();
        ClusterConfig roundedUp = ConfigLoader.parse("gridgate.yaml",
                "cluster: {cache: {maxHeap: 1048577}}", Map.of()).cluster();

        assertThat(defaults.cacheHeapMegabytes()).isEqualTo(256);
        assertThat(defaults.nearCacheEntries()).isEqualTo(10_000);
        assertThat(set.cacheHeapMegabytes()).isEqualTo(1024);
        assertThat(set.nearCacheEntries()).isEqualTo(500);
        assertThat(roundedUp.cacheHeapMegabytes()).isEqualTo(2);
    }

    @Test
    void byteSizesArePlainBytesOrBinaryUnits() throws Exception {
        GatewayConfig config = ConfigLoader.parse("gridgate.yaml", """
                routes:
                  - {id: a, upstream: "http://127.0.0.1:9000", retry: {maxBufferedBody: 0}}
                  - {id: b, upstream: "http://127.0.0.1:9000", retry: {maxBufferedBody: 1500}}
                  - {id: c, upstream: "http://127.0.0.1:9000", retry: {maxBufferedBody: 512B}}
                  - {id: d, upstream: "http://127.0.0.1:9000", retry: {maxBufferedBody: 8KiB}}
                  - {id: e, upstream: "http://127.0.0.1:9000", retry: {maxBufferedBody: 16MiB}}
                """, Map.of());

        assertThat(config.routes()).extracting(route -> route.retry().maxBufferedBody())
                .containsExactly(0L, 1500L, 512L, 8192L, 16L * 1024 * 1024);
    }

    @Test
    void anEmptyFallbackAnswersTwoHundredWithAnEmptyBody() throws Exception {
        RouteConfig route = ConfigLoader.parse("gridgate.yaml", """
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    fallback: {}
                """, Map.of()).routes().get(0);

        assertThat(route.fallback()).contains(new FallbackConfig(Optional.empty(), 200, Map.of(), ""));
    }

    @Test
    void aFallbackMayNameARouteFurtherDown() throws Exception {
        GatewayConfig config = ConfigLoader.parse("gridgate.yaml", """
                routes:
                  - {id: a, upstream: "http://127.0.0.1:9000", fallback: {route: b}}
                  - {id: b, upstream: "http://127.0.0.1:9001"}
                """, Map.of());

        assertThat(config.routes().get(0).fallback()).contains(new FallbackConfig(Optional.of("b"), 200, Map.of(), ""));
    }

    @Test
    void anEmptyServiceSectionReadsAsTheDefaults() throws Exception {
        GatewayConfig config = ConfigLoader.parse("gridgate.yaml", """
                services:
                  orders: {circuitBreaker: {}, retryBudget: {}}
                  users:
                """, Map.of());

        assertThat(config.service("orders")).isEqualTo(ServiceConfig.defaults("orders"));
        assertThat(config.service("users")).isEqualTo(ServiceConfig.defaults("users"));
    }

    @Test
    void aUrlUpstreamsBreakerAndBudgetAreTunedUnderItsHostAndPort() throws Exception {
        GatewayConfig config = ConfigLoader.parse("gridgate.yaml", """
                services:
                  "10.0.0.7:9000": {circuitBreaker: {waitInOpen: 5s}, retryBudget: {percent: 10}}
                """, Map.of());

        assertThat(config.service("10.0.0.7:9000").circuitBreaker().waitInOpen()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.service("10.0.0.7:9000").retryBudget()).isEqualTo(new RetryBudgetConfig(10, 3));
    }

    @Test
    void aTimeWindowIsSixtySecondsUnlessWritten() throws Exception {
        GatewayConfig config = ConfigLoader.parse("gridgate.yaml", """
                services:
                  orders: {circuitBreaker: {window: time}}
                  users: {circuitBreaker: {window: time, windowSize: 10}}
                """, Map.of());

        assertThat(config.service("orders").circuitBreaker().windowSize()).isEqualTo(60);
        assertThat(config.service("users").circuitBreaker().windowSize()).isEqualTo(10);
    }

    @Test
    void versionsReadFromAllThreeSourcesByDefault() throws Exception {
        VersionsConfig versions = ConfigLoader.parse("gridgate.yaml", """
                routes:
                  - id: v
                    versions:
                      targets: {"2": http://127.0.0.1:9002}
                """, Map.of()).routes().get(0).versions().orElseThrow();

        assertThat(versions.from()).containsExactly(Source.PATH, Source.HEADER, Source.MEDIA_TYPE);
        assertThat(versions.vendor()).isEqualTo("gridgate");
        assertThat(versions.defaultVersion()).isEmpty();
    }

    @Test
    void versionKeysAreTakenAsWrittenSoThatOnePointTenIsNotOnePointOne() throws Exception {
        VersionsConfig versions = ConfigLoader.parse("gridgate.yaml", """
                routes:
                  - id: v
                    versions:
                      default: 1.10
                      targets:
                        1: http://127.0.0.1:9001
                        1.1: http://127.0.0.1:9011
                        1.10: http://127.0.0.1:9110
                """, Map.of()).routes().get(0).versions().orElseThrow();

        assertThat(versions.targets()).containsOnlyKeys("1", "1.1", "1.10");
        assertThat(versions.defaultVersion()).contains("1.10");
        assertThat(versions.targets().get("1.10").upstream()).isEqualTo("http://127.0.0.1:9110");
    }

    @Test
    void environmentOverridesReplaceFileValues() throws Exception {
        String yaml = """
                server:
                  bindAddress: 0.0.0.0
                  port: 8080
                admin:
                  port: 8081
                cluster:
                  name: from-file
                  members: [10.0.0.2, 10.0.0.3]
                """;
        Map<String, String> env = Map.of(
                "GRIDGATE_PORT", "0",
                "GRIDGATE_BIND_ADDRESS", "127.0.0.1",
                "GRIDGATE_ADMIN_PORT", "0",
                "GRIDGATE_ADMIN_BIND_ADDRESS", "::1",
                "GRIDGATE_CLUSTER_NAME", "from-env",
                "GRIDGATE_CLUSTER_BIND_ADDRESS", "10.1.0.7",
                "GRIDGATE_CLUSTER_PORT", "5801",
                "GRIDGATE_CLUSTER_MEMBERS", " 10.1.0.8:5801, node-9.internal ",
                "OTHER", "ignored");

        GatewayConfig config = ConfigLoader.parse("gridgate.yaml", yaml, env);

        assertThat(config.server().port()).isZero();
        assertThat(config.server().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.admin()).isEqualTo(new AdminConfig("::1", 0, Optional.empty(), Optional.empty()));
        assertThat(config.cluster()).isEqualTo(new ClusterConfig("from-env", "10.1.0.7", 5801,
                List.of("10.1.0.8:5801", "node-9.internal"), Optional.empty(), Optional.empty()));
    }

    @Test
    void blankEnvironmentVariablesCountAsUnset() throws Exception {
        GatewayConfig config = ConfigLoader.parse("gridgate.yaml", "server: {port: 9000}\n",
                Map.of("GRIDGATE_PORT", " ", "GRIDGATE_CLUSTER_MEMBERS", ""));

        assertThat(config.server().port()).isEqualTo(9000);
        assertThat(config.cluster().members()).isEmpty();
    }

    @Test
    void environmentSuppliesTheKubernetesServiceAndTheTlsSecrets() throws Exception {
        Path keyStore = Files.writeString(dir.resolve("tls.p12"), "x");
        String yaml = """
                server:
                  tls:
                    keyStore: %s
                """.formatted(keyStore);

        GatewayConfig config = ConfigLoader.parse("gridgate.yaml", yaml, Map.of(
                "GRIDGATE_TLS_PORT", "8443",
                "GRIDGATE_TLS_KEYSTORE_PASSWORD", "from-secret",
                "GRIDGATE_KUBERNETES_SERVICE_DNS", "gridgate-members.default.svc.cluster.local"));

        assertThat(config.server().tls()).contains(TlsConfig.keyStore(8443, keyStore.toString(), "from-secret", "PKCS12"));
        assertThat(config.cluster().kubernetesServiceDns()).contains("gridgate-members.default.svc.cluster.local");
    }

    @Test
    void tracingIsOffWithoutAnEndpointAndOnWithOneFromTheFileOrTheStandardVariables() throws Exception {
        assertThat(ConfigLoader.parse("gridgate.yaml", "{}", Map.of()).tracing()).isEqualTo(TracingConfig.OFF);

        TracingConfig fromFile = ConfigLoader.parse("gridgate.yaml", """
                tracing:
                  endpoint: http://collector:4318
                  serviceName: edge
                  sampler: parentbased_traceidratio
                  samplerArg: 0.25
                  resourceAttributes: {deployment.environment: prod}
                  exportDelay: 200ms
                  maxQueueSize: 4096
                  exportBatchSize: 1024
                """, Map.of()).tracing();
        assertThat(fromFile).isEqualTo(new TracingConfig(true, Optional.of("http://collector:4318"), "http/protobuf",
                "edge", "parentbased_traceidratio", Optional.of(0.25), Map.of("deployment.environment", "prod"),
                Duration.ofMillis(200), 4096, 1024));

        TracingConfig fromEnvironment = ConfigLoader.parse("gridgate.yaml", "tracing: {serviceName: edge}", Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
                "OTEL_SERVICE_NAME", "edge-eu",
                "OTEL_TRACES_SAMPLER", "always_off",
                "OTEL_BSP_MAX_QUEUE_SIZE", "16384",
                "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "2048")).tracing();
        assertThat(fromEnvironment.enabled()).isTrue();
        assertThat(fromEnvironment.endpoint()).contains("http://collector:4317");
        assertThat(fromEnvironment.protocol()).isEqualTo("grpc");
        assertThat(fromEnvironment.serviceName()).isEqualTo("edge-eu");
        assertThat(fromEnvironment.sampler()).isEqualTo("always_off");
        assertThat(fromEnvironment.maxQueueSize()).isEqualTo(16384);
        assertThat(fromEnvironment.exportBatchSize()).isEqualTo(2048);

        assertThat(ConfigLoader.parse("gridgate.yaml", "tracing: {endpoint: \"http://collector:4318\"}",
                Map.of("OTEL_SDK_DISABLED", "true")).tracing().enabled()).isFalse();
    }

    @Test
    void loadReadsAFileAndNamesErrorsByItsFileName() throws IOException {
        Path file = Files.writeString(dir.resolve("gridgate.yaml"), "server:\n  port: 80800\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("gridgate.yaml:2:9 /server/port: 80800 (expected: an integer from 0 to 65535)");
    }

    @Test
    void loadReturnsTheConfigOfAValidFile() throws Exception {
        Path file = Files.writeString(dir.resolve("gridgate.yaml"), "admin:\n  port: 0\n");

        assertThat(ConfigLoader.load(file, Map.of()).admin().port()).isZero();
    }

    @Test
    void servicesLoadBalancingRegistrationAndZoneAreRead() throws Exception {
        GatewayConfig config = ConfigLoader.parse("gridgate.yaml", """
                admin: {registrationToken: "0123456789abcdef-token"}
                cluster: {zone: eu-1a}
                services:
                  orders:
                    healthCheck: {path: /health, interval: 2s, timeout: 500ms, unhealthyThreshold: 2}
                    outlierDetection: {consecutiveFailures: 3, ejectionTime: 10s}
                  users: {}
                routes:
                  - id: orders
                    upstream: service:orders
                    loadBalancer: {strategy: consistentHash, hashOn: {cookie: session}, zoneAware: false}
                """, Map.of("GRIDGATE_ZONE", "eu-1b"));

        assertThat(config.admin().registrationToken()).hasValue("0123456789abcdef-token");
        assertThat(config.admin().toString()).doesNotContain("0123456789abcdef-token");
        assertThat(config.cluster().zone()).hasValue("eu-1b");
        assertThat(config.service("orders")).isEqualTo(new ServiceConfig("orders",
                Optional.of(new HealthCheckConfig("/health", Duration.ofSeconds(2), Duration.ofMillis(500), 2, 2)),
                new OutlierConfig(3, Duration.ofSeconds(10), 50), CircuitBreakerConfig.DEFAULT,
                RetryBudgetConfig.DEFAULT));
        assertThat(config.service("users")).isEqualTo(ServiceConfig.defaults("users"));
        assertThat(config.service("unnamed")).isEqualTo(ServiceConfig.defaults("unnamed"));
        RouteConfig route = config.routes().get(0);
        assertThat(route.upstream()).hasValue("service:orders");
        assertThat(route.loadBalancer()).isEqualTo(new LoadBalancerConfig(LoadBalancerConfig.Strategy.CONSISTENT_HASH,
                Optional.of(new LoadBalancerConfig.HashOn(LoadBalancerConfig.HashOn.Source.COOKIE, "session")), false));
    }

    @Test
    void aJwtIssuerWithOnlyAKeySetUrlGetsTheDefaults() throws Exception {
        AuthConfig auth = ConfigLoader.parse("gridgate.yaml", """
                auth:
                  jwt:
                    - {id: corp, jwksUrl: "https://id.example.com/jwks.json"}
                """, Map.of()).auth();

        assertThat(auth).isEqualTo(new AuthConfig(
                List.of(new JwtIssuer("corp", List.of(), Optional.of(URI.create("https://id.example.com/jwks.json")),
                        Duration.ofMinutes(10), Duration.ofSeconds(30), Optional.empty(), List.of(),
                        Duration.ofSeconds(30), List.of("exp"), "sub", TokenSource.BEARER)),
                ApiKeys.DEFAULT, List.of(), IdentityHeaders.DEFAULT));
    }

    @Test
    void aTokenIsReadFromTheHeaderQueryParameterOrCookieThatFromNames() throws Exception {
        List<JwtIssuer> issuers = ConfigLoader.parse("gridgate.yaml", """
                auth:
                  jwt:
                    - {id: a, jwksUrl: "https://id.example.com/jwks", from: {query: access_token}}
                    - {id: b, jwksUrl: "https://id.example.com/jwks", from: {cookie: token}}
                    - {id: c, jwksUrl: "https://id.example.com/jwks", from: {header: authorization}}
                    - {id: d, jwksUrl: "https://id.example.com/jwks", from: {header: Authorization, scheme: ""}}
                    - {id: e, jwksUrl: "https://id.example.com/jwks", from: {header: X-Token}}
                    - {id: f, jwksUrl: "https://id.example.com/jwks", from: {header: X-Token, scheme: Token}}
                """, Map.of()).auth().jwt();

        assertThat(issuers).extracting(JwtIssuer::from).containsExactly(
                new TokenSource(TokenSource.Kind.QUERY, "access_token", ""),
                new TokenSource(TokenSource.Kind.COOKIE, "token", ""),
                new TokenSource(TokenSource.Kind.HEADER, "authorization", "Bearer"),
                new TokenSource(TokenSource.Kind.HEADER, "Authorization", ""),
                new TokenSource(TokenSource.Kind.HEADER, "X-Token", ""),
                new TokenSource(TokenSource.Kind.HEADER, "X-Token", "Token"));
    }

    @Test
    void everyAlgorithmTakesAKeyOfItsOwnKind() throws Exception {
        String yaml = """
                auth:
                  jwt:
                    - id: all
                      keys:
                        - {algorithm: HS256, secret: "%s"}
                        - {algorithm: HS384, secret: "%s"}
                        - {algorithm: HS512, secret: "%s"}
                        - {algorithm: RS256, publicKey: %s}
                        - {algorithm: RS384, publicKey: %s}
                        - {algorithm: RS512, publicKey: %s}
                        - {algorithm: PS256, publicKey: %s}
                        - {algorithm: PS384, publicKey: %s}
                        - {algorithm: PS512, publicKey: %s}
                        - {algorithm: ES256, publicKey: %s}
                        - {algorithm: ES384, publicKey: %s}
                        - {algorithm: ES512, publicKey: %s}
                """.formatted("a".repeat(32), "b".repeat(48), "c".repeat(64),
                TestKeys.quoted(TestKeys.RSA_2048), TestKeys.quoted(TestKeys.RSA_2048), TestKeys.quoted(TestKeys.RSA_2048),
                TestKeys.quoted(TestKeys.RSA_2048), TestKeys.quoted(TestKeys.RSA_2048), TestKeys.quoted(TestKeys.RSA_2048),
                TestKeys.quoted(TestKeys.EC_P256), TestKeys.quoted(TestKeys.EC_P384), TestKeys.quoted(TestKeys.EC_P521));

        List<JwtKey> keys = ConfigLoader.parse("gridgate.yaml", yaml, Map.of()).auth().jwt().get(0).keys();

        assertThat(keys).extracting(JwtKey::algorithm).containsExactlyElementsOf(JwtIssuerReader.ALGORITHMS);
        assertThat(keys.get(11).publicKeyPem()).contains(TestKeys.EC_P521);
    }

    @Test
    void ipRulesFromTheEnvironmentReplaceTheServersLists() throws Exception {
        String yaml = """
                server:
                  ipRules: {allow: [10.0.0.0/8], deny: [10.0.0.5]}
                """;

        GatewayConfig config = ConfigLoader.parse("gridgate.yaml", yaml, Map.of(
                "GRIDGATE_IP_ALLOW", " 192.168.0.0/16, 2001:db8::/32 ",
                "GRIDGATE_IP_DENY", "192.168.0.9"));

        assertThat(config.server().ipRules()).isEqualTo(
                new IpRulesConfig(List.of("192.168.0.0/16", "2001:db8::/32"), List.of("192.168.0.9")));
    }

    @Test
    void requestBodiesMayBeBoundedFromNothingToSixteenGibibytes() throws Exception {
        GatewayConfig config = ConfigLoader.parse("gridgate.yaml", """
                server: {limits: {maxBodyBytes: 16GiB}}
                routes:
                  - {id: a, upstream: "http://127.0.0.1:9000", maxBodyBytes: 0}
                  - {id: b, upstream: "http://127.0.0.1:9000", maxBodyBytes: 64KiB}
                """, Map.of());

        assertThat(config.server().limits().maxBodyBytes()).isEqualTo(16L * 1024 * 1024 * 1024);
        assertThat(config.routes()).extracting(RouteConfig::maxBodyBytes)
                .containsExactly(Optional.of(0L), Optional.of(65536L));
    }

    @Test
    void aRouteUsesANamedPolicyAsIfItsFieldsWereWrittenInlineUnderThePolicysName() throws Exception {
        GatewayConfig config = ConfigLoader.parse("gridgate.yaml", """
                auth:
                  consumers: [{id: partner, apiKeys: ["partner-key-0123456789abcdef"], roles: [partner]}]
                policies:
                  standard:
                    rateLimit:
                      key: [consumer]
                      limits: [{permits: 20, per: 1s, burst: 40}]
                  partner-only:
                    auth: {methods: [apiKey], roles: [partner]}
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    rateLimits:
                      - policy: standard
                      - {id: own, limits: [{permits: 5, per: 1m}]}
                    auth: {policy: partner-only}
                  - id: b
                    upstream: http://127.0.0.1:9000
                    rateLimits: [{policy: standard}]
                """, Map.of());

        RateLimitConfig standard = new RateLimitConfig("standard",
                List.of(new RateLimitConfig.KeyPart(RateLimitConfig.KeyPart.Source.CONSUMER, "")),
                List.of(new RateLimitConfig.Limit(RateLimitConfig.Limit.Algorithm.TOKEN_BUCKET, 20, Duration.ofSeconds(1), 40)),
                RateLimitConfig.Mode.EXACT, 10, RateLimitConfig.OnGridError.ALLOW, Duration.ofMillis(50), false);
        RouteConfig a = config.routes().get(0);
        assertThat(a.rateLimits()).extracting(RateLimitConfig::id).containsExactly("standard", "own");
        assertThat(a.rateLimits().get(0)).isEqualTo(standard);
        assertThat(config.routes().get(1).rateLimits()).as("the same id on both routes: one set of counters")
                .containsExactly(standard);
        assertThat(a.auth()).hasValue(new RouteAuthConfig(List.of("apiKey"), false, Requirement.NONE,
                new Requirement(List.of(), List.of("partner")), List.of()));
    }

    @Test
    void policiesAreSharedSoTheyAreKeptInTheClustersDocument() throws Exception {
        String document = SharedDocument.canonical("""
                server: {port: 8080}
                policies:
                  standard: {rateLimit: {limits: [{permits: 1, per: 1s}]}}
                routes: []
                """);

        assertThat(SharedDocument.tree(document).fieldNames()).toIterable().containsExactly("policies", "routes");
        assertThat(ConfigLoader.parseShared("request body", document, ConfigLoader.parse("gridgate.yaml", "", Map.of()),
                Map.of()).routes()).isEmpty();
    }
}
