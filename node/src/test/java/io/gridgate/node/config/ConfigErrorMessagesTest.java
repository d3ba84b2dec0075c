package io.gridgate.node.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every kind of configuration error, with its exact message: users grep for these. */
class ConfigErrorMessagesTest {

    @TempDir
    Path dir;

    private static List<String> errors(String yaml) {
        return errors(yaml, Map.of());
    }

    private static List<String> errors(String yaml, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse("gridgate.yaml", yaml, env));
        assertThat(e).as("expected a ConfigException").isNotNull();
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.errors().stream().map(ConfigError::toString).toList()));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void reportsAValueOfTheWrongType() {
        assertThat(errors("""
                server:
                  port: abc
                """)).containsExactly("gridgate.yaml:2:9 /server/port: \"abc\" (expected: an integer from 0 to 65535)");
    }

    @Test
    void reportsAQuotedNumberAsAString() {
        assertThat(errors("admin:\n  port: \"8081\"\n"))
                .containsExactly("gridgate.yaml:2:9 /admin/port: \"8081\" (expected: an integer from 0 to 65535)");
    }

    @Test
    void reportsAScalarWhereAMappingBelongs() {
        assertThat(errors("server: 8080\nroutes: {id: x}\n")).containsExactly(
                "gridgate.yaml:1:9 /server: 8080 (expected: a mapping)",
                "gridgate.yaml:2:9 /routes: {...} (expected: a sequence of routes)");
    }

    @Test
    void reportsAnUnknownKeyAndSuggestsTheNearestKnownOne() {
        assertThat(errors("""
                routes:
                  - id: users
                    upstream: http://127.0.0.1:9000
                    mach:
                      path: /users
                """)).containsExactly("gridgate.yaml:4:5 /routes/0/mach: unknown key (expected: one of id, match, "
                + "upstream, versions, rewrite, hostHeader, forwarded, timeouts, pool, loadBalancer, rateLimits, concurrency, deprecation, retry, fallback, auth, ipRules, maxBodyBytes, cors, responseHeaders, cache, compose, clients; "
                + "did you mean \"match\"?)");
    }

    @Test
    void reportsAnUnknownKeyWithoutSuggestionWhenNothingIsClose() {
        assertThat(errors("logging: {level: debug}\n")).containsExactly(
                "gridgate.yaml:1:1 /logging: unknown key (expected: one of server, admin, cluster, services, policies, routes, auth, tracing, accessLog)");
    }

    @Test
    void reportsABadUpstreamUrl() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: ftp://files.internal/x
                  - id: b
                    upstream: http://127.0.0.1:9000/x?debug=1
                  - id: c
                    upstream: http://user:pw@127.0.0.1:9000
                  - id: d
                    upstream: /relative
                """)).containsExactly(
                "gridgate.yaml:3:15 /routes/0/upstream: \"ftp://files.internal/x\" (expected: " + Addresses.UPSTREAM_URL + ")",
                "gridgate.yaml:5:15 /routes/1/upstream: \"http://127.0.0.1:9000/x?debug=1\" (expected: "
                        + Addresses.UPSTREAM_URL + ")",
                "gridgate.yaml:7:15 /routes/2/upstream: \"http://user:pw@127.0.0.1:9000\" (expected: "
                        + Addresses.UPSTREAM_URL + ")",
                "gridgate.yaml:9:15 /routes/3/upstream: \"/relative\" (expected: " + Addresses.UPSTREAM_URL + ")");
        assertThat(Addresses.UPSTREAM_URL)
                .isEqualTo("an absolute http:// or https:// URL with a host and no user-info, query or fragment,"
                        + " or service:NAME");
    }

    @Test
    void reportsARegexThatDoesNotCompileWithTheEnginesDescription() {
        assertThat(errors("""
                routes:
                  - id: users
                    upstream: http://127.0.0.1:9000
                    match:
                      headers:
                        - name: X-Env
                          regex: "([a-z]+"
                """)).containsExactly("gridgate.yaml:7:18 /routes/0/match/headers/0/regex: \"([a-z]+\" "
                + "(expected: a valid regular expression; Unclosed group near index 7)");
    }

    @Test
    void reportsADuplicateRouteIdAtTheSecondOneNamingTheFirstsLine() {
        assertThat(errors("""
                routes:
                  - id: users
                    upstream: http://127.0.0.1:9000
                  - id: orders
                    upstream: http://127.0.0.1:9001
                  - id: users
                    upstream: http://127.0.0.1:9002
                """)).containsExactly(
                "gridgate.yaml:6:9 /routes/2/id: \"users\" (expected: a unique route id; first used at line 2)");
    }

    @Test
    void reportsAMissingIdAndAMissingUpstreamAtTheRoute() {
        assertThat(errors("""
                routes:
                  - match:
                      pathPrefix: /api
                """)).containsExactly(
                "gridgate.yaml:2:5 /routes/0: missing \"id\" (expected: a route id)",
                "gridgate.yaml:2:5 /routes/0: missing \"upstream\" (expected: an upstream URL, or versions, or compose)");
    }

    @Test
    void reportsAnEmptyRouteAtItsOwnPosition() {
        assertThat(errors("routes:\n  - id: a\n    upstream: http://127.0.0.1:9000\n  -\n")).containsExactly(
                "gridgate.yaml:4:4 /routes/1: missing \"id\" (expected: a route id)",
                "gridgate.yaml:4:4 /routes/1: missing \"upstream\" (expected: an upstream URL, or versions, or compose)");
    }

    @Test
    void reportsANegativeTimeout() {
        assertThat(errors("""
                routes:
                  - id: users
                    upstream: http://127.0.0.1:9000
                    timeouts:
                      connect: -2s
                """)).containsExactly("gridgate.yaml:5:16 /routes/0/timeouts/connect: \"-2s\" "
                + "(expected: a positive duration such as 500ms, 2s, 1m)");
    }

    @Test
    void reportsABadDurationUnitAndABareNumber() {
        assertThat(errors("""
                server:
                  drainTimeout: 30sec
                  idleTimeout: 60
                  requestParseTimeout: 0s
                """)).containsExactly(
                "gridgate.yaml:2:17 /server/drainTimeout: \"30sec\" (expected: a positive duration such as 500ms, 2s, 1m)",
                "gridgate.yaml:3:16 /server/idleTimeout: 60 (expected: a positive duration such as 500ms, 2s, 1m)",
                "gridgate.yaml:4:24 /server/requestParseTimeout: \"0s\" "
                        + "(expected: a positive duration such as 500ms, 2s, 1m)");
    }

    @Test
    void reportsATimeoutLongerThanTheTotalAtTheOneThatWasWritten() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    timeouts: {connect: 5s, total: 3s}
                  - id: b
                    upstream: http://127.0.0.1:9000
                    timeouts: {total: 10s}
                """)).containsExactly(
                "gridgate.yaml:4:25 /routes/0/timeouts/connect: \"5s\" (expected: at most total (3s))",
                "gridgate.yaml:4:36 /routes/0/timeouts/total: \"3s\" (expected: at least responseHeader (30s))",
                "gridgate.yaml:7:23 /routes/1/timeouts/total: \"10s\" (expected: at least responseHeader (30s))");
    }

    @Test
    void reportsPathTemplateErrors() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    match: {path: users}
                  - id: b
                    upstream: http://127.0.0.1:9000
                    match: {path: "/users/id-{id}"}
                  - id: c
                    upstream: http://127.0.0.1:9000
                    match: {path: "/users/{1d}"}
                  - id: d
                    upstream: http://127.0.0.1:9000
                    match: {path: "/a/{id}/b/{id}"}
                  - id: e
                    upstream: http://127.0.0.1:9000
                    match: {pathPrefix: "/a//b"}
                """)).containsExactly(
                "gridgate.yaml:4:19 /routes/0/match/path: \"users\" (expected: a path starting with \"/\")",
                "gridgate.yaml:7:19 /routes/1/match/path: \"/users/id-{id}\" "
                        + "(expected: a path whose {variables} are whole segments, such as /users/{id})",
                "gridgate.yaml:10:19 /routes/2/match/path: \"/users/{1d}\" "
                        + "(expected: variable names matching [A-Za-z_][A-Za-z0-9_]*)",
                "gridgate.yaml:13:19 /routes/3/match/path: \"/a/{id}/b/{id}\" (expected: each variable once; {id} appears twice)",
                "gridgate.yaml:16:25 /routes/4/match/pathPrefix: \"/a//b\" (expected: a path without empty segments (\"//\"))");
    }

    @Test
    void reportsARewriteVariableThatTheMatchPathDoesNotHave() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    match: {path: "/users/{id}"}
                    rewrite: {path: "/internal/{uid}"}
                  - id: b
                    upstream: http://127.0.0.1:9000
                    match: {pathPrefix: /users}
                    rewrite: {path: "/internal/{id}"}
                """)).containsExactly(
                "gridgate.yaml:5:21 /routes/0/rewrite/path: \"/internal/{uid}\" "
                        + "(expected: variables of match.path /users/{id}; {uid} is not one)",
                "gridgate.yaml:9:21 /routes/1/rewrite/path: \"/internal/{id}\" "
                        + "(expected: a path without {variables}, since match.path has none)");
    }

    @Test
    void reportsMutuallyExclusiveKeysAtTheLaterOne() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    match:
                      path: /users
                      pathPrefix: /users
                  - id: b
                    versions:
                      targets: {"1": http://127.0.0.1:9001}
                    upstream: http://127.0.0.1:9000
                  - id: c
                    upstream: http://127.0.0.1:9000
                    match:
                      query:
                        - {name: debug, present: true, equals: "1"}
                """)).containsExactly(
                "gridgate.yaml:6:7 /routes/0/match/pathPrefix: \"/users\" (expected: only one of path and pathPrefix)",
                "gridgate.yaml:10:5 /routes/1/upstream: \"http://127.0.0.1:9000\" "
                        + "(expected: only one of upstream, versions and compose)",
                "gridgate.yaml:15:40 /routes/2/match/query/0/equals: \"1\" "
                        + "(expected: only one of present, equals and regex)");
    }

    @Test
    void reportsMembersAndKubernetesTogether() {
        assertThat(errors("""
                cluster:
                  members: [10.0.0.2]
                  kubernetes:
                    serviceDns: gridgate.default.svc.cluster.local
                """)).containsExactly("gridgate.yaml:4:17 /cluster/kubernetes/serviceDns: "
                + "\"gridgate.default.svc.cluster.local\" "
                + "(expected: only one of cluster.members and cluster.kubernetes.serviceDns)");
    }

    @Test
    void reportsABadEnumValue() {
        assertThat(errors("""
                routes:
                  - id: a
                    hostHeader: keep
                    versions:
                      from: [path, mediatype]
                      targets: {"1": http://127.0.0.1:9001}
                """)).containsExactly(
                "gridgate.yaml:3:17 /routes/0/hostHeader: \"keep\" (expected: one of preserve, upstream)",
                "gridgate.yaml:5:20 /routes/0/versions/from/1: \"mediatype\" (expected: one of path, header, mediaType)");
    }

    @Test
    void reportsBadEnvironmentOverridesByVariableName() {
        assertThat(errors("server: {port: 8080}\n", Map.of(
                "GRIDGATE_PORT", "abc",
                "GRIDGATE_CLUSTER_MEMBERS", "10.0.0.2,10.0.0.3:99999"))).containsExactly(
                "env GRIDGATE_PORT: \"abc\" (expected: an integer from 0 to 65535)",
                "env GRIDGATE_CLUSTER_MEMBERS: \"10.0.0.3:99999\" (expected: " + Addresses.MEMBER + ")");
    }

    @Test
    void reportsAYamlSyntaxErrorAloneWithTheParsersPosition() {
        assertThat(errors("""
                server:
                  port: abc
                routes:
                  - id: users
                    upstream: [http://127.0.0.1:9000
                """)).containsExactly("gridgate.yaml:6:1: invalid YAML: expected ',' or ']', but got <stream end> "
                + "(while parsing a flow sequence started at line 5, column 15)");
    }

    @Test
    void doesNotBlameAPortClashOnAValueThatIsAlreadyWrong() {
        assertThat(errors("server: {port: -1}\nadmin: {port: 8080}\n"))
                .containsExactly("gridgate.yaml:1:16 /server/port: -1 (expected: an integer from 0 to 65535)");
    }

    @Test
    void reportsAPortClashCausedByTheEnvironmentAtTheVariable() {
        assertThat(errors("admin: {port: 9000}\n", Map.of("GRIDGATE_PORT", "9000"))).containsExactly(
                "gridgate.yaml:1:15 /admin/port: 9000 (expected: a port other than server.port, or 0)");
        assertThat(errors("{}", Map.of("GRIDGATE_ADMIN_PORT", "8080"))).containsExactly(
                "env GRIDGATE_ADMIN_PORT: \"8080\" (expected: a port other than server.port, or 0)");
    }

    @Test
    void reportsTlsOverridesWithoutATlsListenerWithoutShowingTheSecret() {
        assertThat(errors("{}", Map.of("GRIDGATE_TLS_PORT", "8443", "GRIDGATE_TLS_KEYSTORE_PASSWORD", "s3cret")))
                .containsExactlyInAnyOrder(
                        "env GRIDGATE_TLS_PORT: \"8443\" (expected: unset, since server.tls is not configured)",
                        "env GRIDGATE_TLS_KEYSTORE_PASSWORD: (hidden) "
                                + "(expected: unset, since server.tls is not configured)");
    }

    @Test
    void reportsMissingTlsKeysAtTheTlsMapping() {
        assertThat(errors("server:\n  tls:\n    keyStoreType: PEM\n")).containsExactly(
                "gridgate.yaml:3:5 /server/tls: missing \"port\" (expected: the TLS port)",
                "gridgate.yaml:3:5 /server/tls: missing \"keyStore\" (expected: the path of a PKCS12 or JKS key store, or certificate and privateKey)",
                "gridgate.yaml:3:5 /server/tls: missing \"keyStorePassword\" "
                        + "(expected: the key store password, here or in GRIDGATE_TLS_KEYSTORE_PASSWORD)",
                "gridgate.yaml:3:19 /server/tls/keyStoreType: \"PEM\" (expected: one of PKCS12, JKS)");
    }

    @Test
    void reportsVersionErrors() {
        assertThat(errors("""
                routes:
                  - id: a
                    versions:
                      default: "3"
                      vendor: Acme
                      from: []
                      targets:
                        v1: http://127.0.0.1:9001
                        "2": {deprecation: {sunset: 2027-06-30}}
                        "3": http://127.0.0.1:9003
                  - id: b
                    versions:
                      targets: {}
                  - id: c
                    versions:
                """)).containsExactly(
                "gridgate.yaml:5:15 /routes/0/versions/vendor: \"Acme\" (expected: a vendor name matching [a-z0-9][a-z0-9.-]*)",
                "gridgate.yaml:6:13 /routes/0/versions/from: [] (expected: at least one of path, header, mediaType)",
                "gridgate.yaml:8:9 /routes/0/versions/targets/v1: \"v1\" (expected: a version such as 2 or 2.1, without a leading v)",
                "gridgate.yaml:9:14 /routes/0/versions/targets/2: missing \"upstream\" (expected: the upstream URL of this version)",
                "gridgate.yaml:9:37 /routes/0/versions/targets/2/deprecation/sunset: \"2027-06-30\" "
                        + "(expected: an ISO-8601 instant such as 2027-01-01T00:00:00Z)",
                "gridgate.yaml:13:16 /routes/1/versions/targets: {} (expected: at least one version)",
                "gridgate.yaml:15:5 /routes/2/versions: missing \"targets\" "
                        + "(expected: a mapping of version to upstream, such as {\"1\": http://10.0.0.5:9000})");
    }

    @Test
    void reportsADefaultVersionThatNamesNoTarget() {
        assertThat(errors("""
                routes:
                  - id: a
                    versions:
                      default: 3
                      targets: {"1": http://127.0.0.1:9001, "2": http://127.0.0.1:9002}
                """)).containsExactly(
                "gridgate.yaml:4:16 /routes/0/versions/default: 3 (expected: a version of targets: 1, 2)");
    }

    @Test
    void reportsBadHostsMethodsAndConditions() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    match:
                      hosts: ["api.example.com:443", "a.*.example.com", api.example.com, API.example.com]
                      methods: [GET, "BAD METHOD", get]
                      headers:
                        - equals: x
                        - name: X-A
                          present: false
                """)).containsExactly(
                "gridgate.yaml:5:15 /routes/0/match/hosts/0: \"api.example.com:443\" (expected: " + Addresses.HOST_PATTERN + ")",
                "gridgate.yaml:5:38 /routes/0/match/hosts/1: \"a.*.example.com\" (expected: " + Addresses.HOST_PATTERN + ")",
                "gridgate.yaml:5:74 /routes/0/match/hosts/3: \"API.example.com\" (expected: each value once; first at line 5)",
                "gridgate.yaml:6:22 /routes/0/match/methods/1: \"BAD METHOD\" (expected: an HTTP method such as GET)",
                "gridgate.yaml:6:36 /routes/0/match/methods/2: \"get\" (expected: each value once; first at line 6)",
                "gridgate.yaml:8:11 /routes/0/match/headers/0: missing \"name\" (expected: a header name)",
                "gridgate.yaml:10:20 /routes/0/match/headers/1/present: false (expected: true)");
    }

    @Test
    void reportsACharacterYamlForbidsAtItsPosition() {
        assertThat(errors("admin:\n  bindAddress: a\u0001b\n"))
                .containsExactly("gridgate.yaml:2:17: invalid YAML: character U+0001 is not allowed");
    }

    @Test
    void reportsAnUnreadableFileWithoutALine() throws Exception {
        ConfigException missing = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(dir.resolve("gridgate.yaml"), Map.of()));
        Path notText = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
        ConfigException binary = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(notText, Map.of()));

        assertThat(missing.getMessage()).isEqualTo("gridgate.yaml: cannot read (NoSuchFileException)");
        assertThat(missing.errors()).containsExactly(
                new ConfigError("gridgate.yaml", 0, 0, "", "cannot read (NoSuchFileException)"));
        assertThat(binary.getMessage()).isEqualTo("latin1.yaml: cannot read (expected: UTF-8 text)");
    }

    @Test
    void reportsAMissingKeyStoreFile() {
        assertThat(errors("""
                server:
                  tls:
                    port: 8443
                    keyStore: %s
                    keyStorePassword: secret
                """.formatted(dir.resolve("missing.p12")))).containsExactly(
                "gridgate.yaml:4:15 /server/tls/keyStore: \"" + dir.resolve("missing.p12")
                        + "\" (expected: a readable key store file)");
    }

    @Test
    void reportsDuplicateKeysAliasesAndASecondDocument() {
        assertThat(errors("""
                admin:
                  port: 9000
                  port: 9001
                cluster: *shared
                server: {port: abc}
                """)).containsExactly(
                "gridgate.yaml:3:3 /admin/port: duplicate key (expected: each key once; first at line 2)",
                "gridgate.yaml:4:10 /cluster: *shared (expected: the value written out; YAML aliases are not supported)",
                "gridgate.yaml:5:16 /server/port: \"abc\" (expected: an integer from 0 to 65535)");
        assertThat(errors("admin: {}\n---\nserver: {}\n"))
                .containsExactly("gridgate.yaml:3:1: a second YAML document (expected: one document per file)");
    }

    @Test
    void reportsEveryErrorAtOnceInLineOrder() {
        assertThat(errors("""
                routes:
                  - id: Users
                    upstream: http://127.0.0.1:9000
                    pool: {maxConnections: 0}
                server:
                  ioThreads: -1
                  http2: yes
                admin:
                  port: 8080
                """)).containsExactly(
                "gridgate.yaml:2:9 /routes/0/id: \"Users\" (expected: a route id matching [a-z0-9][a-z0-9._-]{0,63})",
                "gridgate.yaml:4:28 /routes/0/pool/maxConnections: 0 (expected: an integer from 1 to 10000)",
                "gridgate.yaml:6:14 /server/ioThreads: -1 (expected: an integer from 0 to 1024)",
                "gridgate.yaml:7:10 /server/http2: \"yes\" (expected: true or false)",
                "gridgate.yaml:9:9 /admin/port: 8080 (expected: a port other than server.port, or 0)");
    }

    @Test
    void consistentHashingNeedsAKeyAndOtherStrategiesRefuseOne() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: service:orders
                    loadBalancer: {strategy: consistentHash}
                  - id: b
                    upstream: service:orders
                    loadBalancer: {strategy: roundRobin, hashOn: {header: X-User}}
                  - id: c
                    upstream: service:Orders
                """)).containsExactly(
                "gridgate.yaml:4:19 /routes/0/loadBalancer: missing \"hashOn\" (expected: what to hash: {header: NAME}, {cookie: NAME} or {clientIp: true})",
                "gridgate.yaml:7:50 /routes/1/loadBalancer/hashOn: {...} (expected: no hashOn, since only strategy consistentHash uses it)",
                "gridgate.yaml:9:15 /routes/2/upstream: \"service:Orders\" (expected: an absolute http:// or https:// URL with a host and no user-info, query or fragment, or service:NAME)");
    }

    @Test
    void aHealthCheckNeedsAPathAndATimeoutWithinItsInterval() {
        assertThat(errors("""
                services:
                  orders:
                    healthCheck: {interval: 1s, timeout: 2s}
                  Bad_Name: {}
                """)).containsExactly(
                "gridgate.yaml:3:18 /services/orders/healthCheck: missing \"path\" (expected: the path to poll, such as /health)",
                "gridgate.yaml:3:42 /services/orders/healthCheck/timeout: \"2s\" (expected: at most the interval, 1s)",
                "gridgate.yaml:4:3 /services/Bad_Name: \"Bad_Name\" (expected: a name matching [a-z0-9][a-z0-9._-]{0,63}, or the host:port of a URL upstream)");
    }

    @Test
    void aUrlUpstreamsEntryTakesOnlyABreakerAndARetryBudget() {
        assertThat(errors("""
                services:
                  "10.0.0.7:9000":
                    healthCheck: {path: /health}
                """)).containsExactly(
                "gridgate.yaml:3:5 /services/10.0.0.7:9000/healthCheck: unknown key (expected: one of circuitBreaker, retryBudget)");
    }

    @Test
    void aRateLimitPolicyNeedsLimitsAValidKeyAndNoStrayLeaseSize() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    rateLimits:
                      - id: p1
                        key: [clientIp, "cookie:sid"]
                        limits: [{permits: 0, per: 1s}, {permits: 5, per: 1m, algorithm: slidingWindow, burst: 9}]
                        leaseSize: 5
                      - id: p1
                """)).containsExactly(
                "gridgate.yaml:6:25 /routes/0/rateLimits/0/key/1: \"cookie:sid\" (expected: clientIp, route, consumer, header:NAME or claim:NAME)",
                "gridgate.yaml:7:28 /routes/0/rateLimits/0/limits/0/permits: 0 (expected: an integer from 1 to 1000000000)",
                "gridgate.yaml:7:96 /routes/0/rateLimits/0/limits/1/burst: 9 (expected: no burst, since only algorithm tokenBucket uses it)",
                "gridgate.yaml:8:20 /routes/0/rateLimits/0/leaseSize: 5 (expected: no leaseSize, since only mode leased uses it)",
                "gridgate.yaml:9:9 /routes/0/rateLimits/1: missing \"limits\" (expected: a sequence of limits such as [{permits: 20, per: 1s, burst: 40}])",
                "gridgate.yaml:9:13 /routes/0/rateLimits/1/id: \"p1\" (expected: an id not used by another policy of this route)");
    }

    @Test
    void aRouteNamingNoPolicyOfItsKindIsBlamedAtTheName() {
        assertThat(errors("""
                policies:
                  standard: {rateLimit: {limits: [{permits: 5, per: 1s}]}}
                  partner-only: {auth: {methods: [apiKey]}}
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    rateLimits:
                      - policy: premium
                      - policy: partner-only
                      - standard
                      - {policy: standard, limits: [{permits: 1, per: 1s}]}
                    auth: {policy: standrd}
                """)).containsExactly(
                "gridgate.yaml:8:17 /routes/0/rateLimits/0/policy: \"premium\" "
                        + "(expected: the name of a rate-limit policy in policies; known: standard)",
                "gridgate.yaml:9:17 /routes/0/rateLimits/1/policy: \"partner-only\" "
                        + "(expected: the name of a rate-limit policy in policies; known: standard)",
                "gridgate.yaml:10:9 /routes/0/rateLimits/2: \"standard\" "
                        + "(expected: a mapping: {policy: NAME} to use one of policies, or a rate-limit policy of the route's own)",
                "gridgate.yaml:11:28 /routes/0/rateLimits/3/limits: [...] "
                        + "(expected: nothing beside policy, since a route uses a named policy as policies defines it)",
                "gridgate.yaml:12:20 /routes/0/auth/policy: \"standrd\" "
                        + "(expected: the name of an auth policy in policies; known: partner-only)");
    }

    @Test
    void aPolicyIsOneRateLimitOrOneAuthUnderAValidNameAndItsErrorsAreNotRepeatedByItsRoutes() {
        assertThat(errors("""
                policies:
                  Standard: {rateLimit: {limits: [{permits: 5, per: 1s}]}}
                  empty: {}
                  both: {rateLimit: {limits: [{permits: 5, per: 1s}]}, auth: {methods: [apiKey]}}
                  strict: {rateLimit: {id: strict, limits: [{permits: 0, per: 1s}]}}
                  partner: {auth: {methods: ["jwt:corp"]}}
                  list: [1]
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    rateLimits: [{policy: both}, {policy: strict}]
                    auth: {policy: partner}
                """)).containsExactly(
                "gridgate.yaml:2:3 /policies/Standard: \"Standard\" (expected: a policy name matching [a-z0-9][a-z0-9._-]{0,63})",
                "gridgate.yaml:3:10 /policies/empty: missing one of \"rateLimit\", \"auth\" "
                        + "(expected: a rateLimit or an auth, such as {rateLimit: {limits: [{permits: 20, per: 1s}]}})",
                "gridgate.yaml:4:56 /policies/both/auth: {...} (expected: only one of rateLimit and auth)",
                "gridgate.yaml:5:24 /policies/strict/rateLimit/id: unknown key (expected: one of key, limits, mode, "
                        + "leaseSize, onGridError, gridTimeout, legacyHeaders)",
                "gridgate.yaml:5:55 /policies/strict/rateLimit/limits/0/permits: 0 (expected: an integer from 1 to 1000000000)",
                "gridgate.yaml:6:30 /policies/partner/auth/methods/0: \"jwt:corp\" "
                        + "(expected: apiKey or jwt:<issuer id>; known issuers: none)",
                "gridgate.yaml:7:9 /policies/list: [...] (expected: a mapping)");
        assertThat(errors("policies: [standard]\n")).containsExactly("gridgate.yaml:1:11 /policies: [...] "
                + "(expected: a mapping of policy name to one policy, such as {standard: {rateLimit: {limits: [{permits: 20, per: 1s}]}}})");
    }

    @Test
    void aRouteUsesANamedRateLimitOnceAndDefinesNoneOfItsOwnUnderItsName() {
        assertThat(errors("""
                policies:
                  standard: {rateLimit: {limits: [{permits: 5, per: 1s}]}}
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    rateLimits:
                      - {policy: standard}
                      - {policy: standard}
                  - id: b
                    upstream: http://127.0.0.1:9000
                    rateLimits: [{id: standard, limits: [{permits: 1, per: 1s}]}]
                """)).containsExactly(
                "gridgate.yaml:8:18 /routes/0/rateLimits/1/policy: \"standard\" (expected: a policy not used twice by this route)",
                "gridgate.yaml:11:23 /routes/1/rateLimits/0/id: \"standard\" (expected: an id no policy of policies has, "
                        + "since one id is one set of counters; to share them, write {policy: standard})");
    }

    @Test
    void reportsRetryAttemptsOutOfRange() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    retry: {attempts: 0}
                """)).containsExactly(
                "gridgate.yaml:4:23 /routes/0/retry/attempts: 0 (expected: an integer from 1 to 10)");
    }

    @Test
    void reportsAnUnknownRetryCondition() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    retry:
                      on: [connect-failure, refused, 200, reset, reset]
                """)).containsExactly(
                "gridgate.yaml:5:29 /routes/0/retry/on/1: \"refused\" "
                        + "(expected: connect-failure, reset, timeout or a status from 400 to 599)",
                "gridgate.yaml:5:38 /routes/0/retry/on/2: 200 "
                        + "(expected: connect-failure, reset, timeout or a status from 400 to 599)",
                "gridgate.yaml:5:50 /routes/0/retry/on/4: \"reset\" (expected: each value once; first at line 5)");
    }

    @Test
    void reportsAnEmptyRetryOnListAndPointsAtAttempts() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    retry: {on: []}
                """)).containsExactly("gridgate.yaml:4:17 /routes/0/retry/on: [] "
                + "(expected: at least one condition or status; attempts: 1 turns retries off)");
    }

    @Test
    void reportsAPerTryTimeoutLongerThanTheRoutesTotal() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    retry: {perTryTimeout: 2m}
                  - id: b
                    upstream: http://127.0.0.1:9000
                    timeouts: {connect: 1s, responseHeader: 1s, total: 1s}
                    retry: {perTryTimeout: 1500ms}
                """)).containsExactly(
                "gridgate.yaml:4:28 /routes/0/retry/perTryTimeout: \"2m\" (expected: at most timeouts.total (1m))",
                "gridgate.yaml:8:28 /routes/1/retry/perTryTimeout: \"1500ms\" (expected: at most timeouts.total (1s))");
    }

    @Test
    void reportsABackoffBaseAboveItsMaxAtTheOneThatWasWritten() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    retry: {backoff: {base: 1s}}
                  - id: b
                    upstream: http://127.0.0.1:9000
                    retry: {backoff: {max: 10ms}}
                """)).containsExactly(
                "gridgate.yaml:4:29 /routes/0/retry/backoff/base: \"1s\" (expected: at most max (250ms))",
                "gridgate.yaml:7:28 /routes/1/retry/backoff/max: \"10ms\" (expected: at least base (25ms))");
    }

    @Test
    void reportsABadByteSize() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    retry: {maxBufferedBody: 64KB}
                  - id: b
                    upstream: http://127.0.0.1:9000
                    retry: {maxBufferedBody: 17MiB}
                """)).containsExactly(
                "gridgate.yaml:4:30 /routes/0/retry/maxBufferedBody: \"64KB\" "
                        + "(expected: a byte size from 0 to 16MiB, such as 65536, 64KiB or 1MiB)",
                "gridgate.yaml:7:30 /routes/1/retry/maxBufferedBody: \"17MiB\" "
                        + "(expected: a byte size from 0 to 16MiB, such as 65536, 64KiB or 1MiB)");
    }

    @Test
    void reportsAnUnknownRetryKeyAndSuggestsTheNearestKnownOne() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    retry: {atempts: 3}
                """)).containsExactly("gridgate.yaml:4:13 /routes/0/retry/atempts: unknown key (expected: one of "
                + "attempts, perTryTimeout, backoff, on, nonIdempotent, maxBufferedBody; did you mean \"attempts\"?)");
    }

    @Test
    void reportsAFallbackRouteThatNoRouteHas() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    fallback: {route: nowhere}
                """)).containsExactly(
                "gridgate.yaml:4:23 /routes/0/fallback/route: \"nowhere\" (expected: the id of another route)");
    }

    @Test
    void reportsAFallbackRouteThatIsTheRouteItself() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    fallback: {route: a}
                """)).containsExactly(
                "gridgate.yaml:4:23 /routes/0/fallback/route: \"a\" (expected: the id of another route, not this one)");
    }

    @Test
    void reportsAFixedResponseBesideAFallbackRoute() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    fallback: {route: b, status: 503, body: busy}
                  - id: b
                    upstream: http://127.0.0.1:9001
                """)).containsExactly(
                "gridgate.yaml:4:34 /routes/0/fallback/status: 503 "
                        + "(expected: no status, since a fallback with route has no fixed response)",
                "gridgate.yaml:4:45 /routes/0/fallback/body: \"busy\" "
                        + "(expected: no body, since a fallback with route has no fixed response)");
    }

    @Test
    void reportsBadFallbackStatusAndHeaders() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    fallback:
                      status: 600
                      headers:
                        Content-Type: text/plain
                        content-type: text/html
                        "X Bad": x
                        X-Split: "a\\r\\nSet-Cookie: s=1"
                """)).containsExactly(
                "gridgate.yaml:5:15 /routes/0/fallback/status: 600 (expected: an integer from 100 to 599)",
                "gridgate.yaml:8:9 /routes/0/fallback/headers/content-type: \"content-type\" "
                        + "(expected: each header once; first at line 7)",
                "gridgate.yaml:9:9 /routes/0/fallback/headers/X Bad: \"X Bad\" (expected: a header name)",
                "gridgate.yaml:10:18 /routes/0/fallback/headers/X-Split: \"a\\r\\nSet-Cookie: s=1\" "
                        + "(expected: a header value of printable ASCII characters)");
    }

    @Test
    void aRoutePathMustBeInTheNormalizedFormRequestsAreMatchedIn() {
        assertThat(errors("""
                routes:
                  - {id: a, match: {path: /caf%c3%a9}, upstream: http://127.0.0.1:9000}
                  - {id: b, match: {pathPrefix: /%7Euser}, upstream: http://127.0.0.1:9000}
                  - {id: c, match: {pathPrefix: /admin;x}, upstream: http://127.0.0.1:9000}
                  - {id: d, match: {path: /a/../b}, upstream: http://127.0.0.1:9000}
                """)).containsExactly(
                "gridgate.yaml:2:27 /routes/0/match/path: \"/caf%c3%a9\" (expected: segments in the normalized form "
                        + "requests are matched in, such as \"caf%C3%A9\")",
                "gridgate.yaml:3:33 /routes/1/match/pathPrefix: \"/%7Euser\" (expected: segments in the normalized form "
                        + "requests are matched in, such as \"~user\")",
                "gridgate.yaml:4:33 /routes/2/match/pathPrefix: \"/admin;x\" (expected: segments in the normalized form "
                        + "requests are matched in: a ; (path parameters are not accepted))",
                "gridgate.yaml:5:27 /routes/3/match/path: \"/a/../b\" (expected: segments in the normalized form "
                        + "requests are matched in: no \".\" or \"..\" segments)");
    }

    @Test
    void aBadAdminTokenIsReportedWithoutItsValueFromTheFileOrTheEnvironment() {
        assertThat(errors("""
                admin:
                  token: short-secret
                """, Map.of("GRIDGATE_REGISTRATION_TOKEN", "tiny"))).containsExactly(
                "gridgate.yaml:2:10 /admin/token: (hidden) (expected: a token of 16 to 256 visible ASCII characters)",
                "env GRIDGATE_REGISTRATION_TOKEN: (hidden) (expected: a token of 16 to 256 visible ASCII characters)");
    }

    @Test
    void refusesFramingHeadersInAFixedFallback() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    fallback:
                      headers: {Content-Length: "5"}
                """)).containsExactly(
                "gridgate.yaml:5:17 /routes/0/fallback/headers/Content-Length: \"Content-Length\" (expected: a header "
                        + "other than Content-Length, Transfer-Encoding and Connection, which the gateway sets itself)");
    }

    @Test
    void reportsABadBreakerWindow() {
        assertThat(errors("""
                services:
                  orders:
                    circuitBreaker: {window: sliding}
                """)).containsExactly(
                "gridgate.yaml:3:30 /services/orders/circuitBreaker/window: \"sliding\" (expected: one of count, time)");
    }

    @Test
    void reportsAQuorumOfZero() {
        assertThat(errors("""
                services:
                  orders:
                    circuitBreaker: {quorum: 0}
                """)).containsExactly(
                "gridgate.yaml:3:30 /services/orders/circuitBreaker/quorum: 0 (expected: an integer from 1 to 100)");
    }

    @Test
    void reportsAFailureRateOfZero() {
        assertThat(errors("""
                services:
                  orders:
                    circuitBreaker: {failureRate: 0}
                """)).containsExactly(
                "gridgate.yaml:3:35 /services/orders/circuitBreaker/failureRate: 0 (expected: an integer from 1 to 100)");
    }

    @Test
    void reportsAFailureStatusThatIsNoError() {
        assertThat(errors("""
                services:
                  orders:
                    circuitBreaker: {failureStatuses: [500, 200]}
                """)).containsExactly("gridgate.yaml:3:45 /services/orders/circuitBreaker/failureStatuses/1: 200 "
                + "(expected: an integer from 400 to 599)");
    }

    @Test
    void reportsAMinimumOfCallsThatACountWindowCanNeverHold() {
        assertThat(errors("""
                services:
                  orders:
                    circuitBreaker: {minimumCalls: 200}
                  users:
                    circuitBreaker: {windowSize: 10}
                """)).containsExactly(
                "gridgate.yaml:3:36 /services/orders/circuitBreaker/minimumCalls: 200 "
                        + "(expected: at most windowSize (100) for a count window)",
                "gridgate.yaml:5:34 /services/users/circuitBreaker/windowSize: 10 "
                        + "(expected: at least minimumCalls (20) for a count window)");
    }

    @Test
    void reportsABadProbeJitterAndRetryBudget() {
        assertThat(errors("""
                services:
                  orders:
                    circuitBreaker: {probeJitter: -1s}
                    retryBudget: {percent: 101, minRetriesPerSecond: -1}
                """)).containsExactly(
                "gridgate.yaml:3:35 /services/orders/circuitBreaker/probeJitter: \"-1s\" "
                        + "(expected: a duration such as 0s, 500ms, 2s)",
                "gridgate.yaml:4:28 /services/orders/retryBudget/percent: 101 (expected: an integer from 0 to 100)",
                "gridgate.yaml:4:54 /services/orders/retryBudget/minRetriesPerSecond: -1 "
                        + "(expected: an integer from 0 to 1000)");
    }

    @Test
    void reportsAnUnknownJwtAlgorithm() {
        assertThat(errors("""
                auth:
                  jwt:
                    - id: corp
                      keys:
                        - {algorithm: RS257, publicKey: x}
                        - {algorithm: rs256}
                """)).containsExactly(
                "gridgate.yaml:5:23 /auth/jwt/0/keys/0/algorithm: \"RS257\" (expected: one of HS256, HS384, HS512, "
                        + "RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512)",
                "gridgate.yaml:6:23 /auth/jwt/0/keys/1/algorithm: \"rs256\" (expected: one of HS256, HS384, HS512, "
                        + "RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512)");
    }

    @Test
    void reportsASecretTooShortForItsAlgorithmWithoutShowingIt() {
        List<String> errors = errors("""
                auth:
                  jwt:
                    - id: corp
                      keys:
                        - {algorithm: HS256, secret: "shh-this-is-31-bytes-long......"}
                        - {algorithm: HS512, secret: "0123456789abcdef0123456789abcdef0123456789abcdef"}
                        - {algorithm: RS256, secret: "0123456789abcdef0123456789abcdef"}
                        - {algorithm: HS384}
                """);

        assertThat(errors).containsExactly(
                "gridgate.yaml:5:38 /auth/jwt/0/keys/0/secret: (hidden) (expected: a secret of at least 32 bytes for HS256)",
                "gridgate.yaml:6:38 /auth/jwt/0/keys/1/secret: (hidden) (expected: a secret of at least 64 bytes for HS512)",
                "gridgate.yaml:7:11 /auth/jwt/0/keys/2: missing \"publicKey\" (expected: the PEM public key for RS256)",
                "gridgate.yaml:7:38 /auth/jwt/0/keys/2/secret: (hidden) (expected: no secret, since RS256 verifies with a publicKey)",
                "gridgate.yaml:8:11 /auth/jwt/0/keys/3: missing \"secret\" (expected: a secret of at least 48 bytes for HS384)");
        assertThat(String.join("\n", errors)).doesNotContain("shh", "0123");
    }

    @Test
    void reportsAPublicKeyThatIsNotPemWithoutShowingIt() {
        String badBase64 = "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n";
        assertThat(errors("""
                auth:
                  jwt:
                    - id: corp
                      keys:
                        - {algorithm: RS256, publicKey: not-a-key}
                        - {algorithm: RS256, publicKey: %s}
                        - {algorithm: RS256, publicKey: %s}
                """.formatted(TestKeys.quoted(badBase64),
                TestKeys.quoted(TestKeys.RSA_2048.replace("PUBLIC KEY", "PRIVATE KEY"))))).containsExactly(
                "gridgate.yaml:5:41 /auth/jwt/0/keys/0/publicKey: (hidden) (expected: " + PublicKeys.PEM + ")",
                "gridgate.yaml:6:41 /auth/jwt/0/keys/1/publicKey: \"-----BEGIN PUBLIC KEY-----...\" (expected: "
                        + "a PEM public key: -----BEGIN PUBLIC KEY-----, base64, -----END PUBLIC KEY-----, "
                        + "whose body is valid base64)",
                "gridgate.yaml:7:41 /auth/jwt/0/keys/2/publicKey: (hidden) "
                        + "(expected: a PEM public key (-----BEGIN PUBLIC KEY-----), never a private key)");
        assertThat(PublicKeys.PEM)
                .isEqualTo("a PEM public key: -----BEGIN PUBLIC KEY-----, base64, -----END PUBLIC KEY-----");
    }

    @Test
    void reportsAPublicKeyOfTheWrongTypeOrCurveOrSize() {
        assertThat(errors("""
                auth:
                  jwt:
                    - id: corp
                      keys:
                        - algorithm: ES256
                          publicKey: %s
                        - algorithm: ES256
                          publicKey: %s
                        - algorithm: PS256
                          publicKey: %s
                        - algorithm: RS256
                          publicKey: %s
                """.formatted(TestKeys.quoted(TestKeys.RSA_2048), TestKeys.quoted(TestKeys.EC_P384),
                TestKeys.quoted(TestKeys.EC_P256), TestKeys.quoted(TestKeys.RSA_1024)))).containsExactly(
                "gridgate.yaml:6:22 /auth/jwt/0/keys/0/publicKey: \"-----BEGIN PUBLIC KEY-----...\" "
                        + "(expected: an EC public key on P-256 for ES256; this is an RSA key)",
                "gridgate.yaml:8:22 /auth/jwt/0/keys/1/publicKey: \"-----BEGIN PUBLIC KEY-----...\" "
                        + "(expected: an EC public key on P-256 for ES256; this one is on P-384)",
                "gridgate.yaml:10:22 /auth/jwt/0/keys/2/publicKey: \"-----BEGIN PUBLIC KEY-----...\" "
                        + "(expected: an RSA public key of at least 2048 bits for PS256; this is an EC key)",
                "gridgate.yaml:12:22 /auth/jwt/0/keys/3/publicKey: \"-----BEGIN PUBLIC KEY-----...\" "
                        + "(expected: an RSA public key of at least 2048 bits for RS256; this one has 1024 bits)");
    }

    @Test
    void reportsAnIssuerWithNothingToVerifyWith() {
        assertThat(errors("""
                auth:
                  jwt:
                    - id: corp
                      issuer: https://id.example.com
                    - id: partner
                      keys: []
                      jwksRefresh: 1m
                """)).containsExactly(
                "gridgate.yaml:3:7 /auth/jwt/0: missing one of \"keys\", \"jwksUrl\" (expected: keys, a jwksUrl, or both)",
                "gridgate.yaml:6:13 /auth/jwt/1/keys: [] (expected: at least one key, or a jwksUrl)",
                "gridgate.yaml:7:20 /auth/jwt/1/jwksRefresh: \"1m\" (expected: no jwksRefresh, since only jwksUrl uses it)");
    }

    @Test
    void reportsADuplicateIssuerIdAtTheSecondOne() {
        assertThat(errors("""
                auth:
                  jwt:
                    - {id: corp, jwksUrl: "https://a.example.com/jwks"}
                    - {id: Corp, jwksUrl: "https://b.example.com/jwks"}
                    - {id: corp, jwksUrl: "https://c.example.com/jwks"}
                """)).containsExactly(
                "gridgate.yaml:4:12 /auth/jwt/1/id: \"Corp\" (expected: an issuer id matching [a-z0-9][a-z0-9._-]{0,63})",
                "gridgate.yaml:5:12 /auth/jwt/2/id: \"corp\" (expected: a unique issuer id; first used at line 3)");
    }

    @Test
    void reportsARouteAuthMethodNamingNoIssuer() {
        assertThat(errors("""
                auth:
                  jwt:
                    - {id: corp, jwksUrl: "https://a.example.com/jwks"}
                    - {id: partner, jwksUrl: "https://b.example.com/jwks"}
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    auth: {methods: [apiKey, "jwt:other", basic, "jwt:corp"]}
                """)).containsExactly(
                "gridgate.yaml:8:30 /routes/0/auth/methods/1: \"jwt:other\" "
                        + "(expected: apiKey or jwt:<issuer id>; known issuers: corp, partner)",
                "gridgate.yaml:8:43 /routes/0/auth/methods/2: \"basic\" "
                        + "(expected: apiKey or jwt:<issuer id>; known issuers: corp, partner)");
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    auth: {methods: ["jwt:corp"]}
                """)).containsExactly("gridgate.yaml:4:22 /routes/0/auth/methods/0: \"jwt:corp\" "
                + "(expected: apiKey or jwt:<issuer id>; known issuers: none)");
    }

    @Test
    void reportsRouteAuthWithoutMethods() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    auth: {methods: []}
                  - id: b
                    upstream: http://127.0.0.1:9000
                    auth: {optional: true}
                  - id: c
                    upstream: http://127.0.0.1:9000
                    auth: {methods: [apiKey], scopes: read, claims: [{name: tenant}]}
                """)).containsExactly(
                "gridgate.yaml:4:21 /routes/0/auth/methods: [] "
                        + "(expected: at least one of apiKey or jwt:<issuer id>; optional: true lets anonymous requests through)",
                "gridgate.yaml:7:11 /routes/1/auth: missing \"methods\" (expected: a sequence of methods such as [apiKey, \"jwt:corp\"])",
                "gridgate.yaml:10:39 /routes/2/auth/scopes: \"read\" "
                        + "(expected: a sequence of scopes such as [orders:read] (all required), or {anyOf: [...], allOf: [...]})",
                "gridgate.yaml:10:54 /routes/2/auth/claims/0: missing \"anyOf\" "
                        + "(expected: the values the claim may have, such as [acme, globex])");
    }

    @Test
    void reportsAnApiKeyThatTwoConsumersShareWithoutShowingIt() {
        List<String> errors = errors("""
                auth:
                  consumers:
                    - id: mobile-app
                      apiKeys: ["k_live_0123456789abcdef"]
                    - id: web
                      apiKeys: ["k_web_0123456789abcdef", "too-short", "k_live_0123456789abcdef"]
                    - id: cli
                      apiKeys: k_live_written_without_brackets
                """);

        assertThat(errors).containsExactly(
                "gridgate.yaml:6:43 /auth/consumers/1/apiKeys/1: (hidden) "
                        + "(expected: an API key of 16 to 256 visible ASCII characters)",
                "gridgate.yaml:6:56 /auth/consumers/1/apiKeys/2: (hidden) "
                        + "(expected: each API key once; consumer mobile-app already has it, at line 4)",
                "gridgate.yaml:8:16 /auth/consumers/2/apiKeys: (hidden) (expected: a sequence of API keys)");
        assertThat(String.join("\n", errors)).doesNotContain("k_live", "too-short");
    }

    @Test
    void reportsABadCidrInIpRules() {
        assertThat(errors("""
                server:
                  ipRules: {allow: [10.0.0.0/33], deny: [10.0.0.5, 10.0.0.5]}
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    ipRules: {deny: [not-an-ip], allow: 10.0.0.0/8}
                """, Map.of("GRIDGATE_IP_DENY", "10.0.0.1, 10.0.0.300"))).containsExactly(
                "gridgate.yaml:2:21 /server/ipRules/allow/0: \"10.0.0.0/33\" "
                        + "(expected: an IP address or CIDR range such as 10.0.0.0/8)",
                "gridgate.yaml:2:52 /server/ipRules/deny/1: \"10.0.0.5\" (expected: each value once; first at line 2)",
                "gridgate.yaml:6:22 /routes/0/ipRules/deny/0: \"not-an-ip\" "
                        + "(expected: an IP address or CIDR range such as 10.0.0.0/8)",
                "gridgate.yaml:6:41 /routes/0/ipRules/allow: \"10.0.0.0/8\" "
                        + "(expected: a sequence of CIDR ranges such as [10.0.0.0/8, \"2001:db8::/32\"])",
                "env GRIDGATE_IP_DENY: \"10.0.0.300\" (expected: an IP address or CIDR range such as 10.0.0.0/8)");
    }

    @Test
    void reportsATokenSourceWithTwoPlacesOrAStrayScheme() {
        assertThat(errors("""
                auth:
                  jwt:
                    - id: corp
                      jwksUrl: https://id.example.com/jwks
                      from: {header: Authorization, query: access_token}
                    - id: partner
                      jwksUrl: https://id.example.com/jwks
                      from: {cookie: token, scheme: Bearer}
                    - id: other
                      jwksUrl: https://id.example.com/jwks
                      from: {}
                """)).containsExactly(
                "gridgate.yaml:5:37 /auth/jwt/0/from/query: \"access_token\" (expected: only one of header, query and cookie)",
                "gridgate.yaml:8:37 /auth/jwt/1/from/scheme: \"Bearer\" (expected: no scheme, since only a header carries one)",
                "gridgate.yaml:11:13 /auth/jwt/2/from: missing one of \"header\", \"query\", \"cookie\" "
                        + "(expected: where the token is: {header: NAME}, {query: NAME} or {cookie: NAME})");
    }

    @Test
    void reportsIdentityHeadersThatCollide() {
        assertThat(errors("""
                auth:
                  apiKeys: {header: X-Key}
                  identityHeaders:
                    subject: x-consumer-id
                    claims: {email: X-Key, tenant: Content-Length, org: X-Auth-Org}
                """)).containsExactly(
                "gridgate.yaml:4:14 /auth/identityHeaders/subject: \"x-consumer-id\" "
                        + "(expected: a header no other identity or credential header uses; "
                        + "identityHeaders.consumer uses X-Consumer-Id)",
                "gridgate.yaml:5:21 /auth/identityHeaders/claims/email: \"X-Key\" "
                        + "(expected: a header no other identity or credential header uses; apiKeys.header uses X-Key)",
                "gridgate.yaml:5:36 /auth/identityHeaders/claims/tenant: \"Content-Length\" "
                        + "(expected: a header other than Host, Content-Length, Transfer-Encoding and the hop-by-hop headers)");
    }

    @Test
    void reportsBadRequestLimits() {
        assertThat(errors("""
                server:
                  limits: {maxHeaders: 0, maxUrlBytes: 100, maxBodyBytes: 17GiB, bodyReadTimeout: 0s}
                routes:
                  - {id: a, upstream: "http://127.0.0.1:9000", maxBodyBytes: 10MB}
                """)).containsExactly(
                "gridgate.yaml:2:24 /server/limits/maxHeaders: 0 (expected: an integer from 1 to 10000)",
                "gridgate.yaml:2:40 /server/limits/maxUrlBytes: 100 (expected: an integer from 256 to 1048576)",
                "gridgate.yaml:2:59 /server/limits/maxBodyBytes: \"17GiB\" "
                        + "(expected: a byte size from 0 to 16GiB, such as 65536, 64KiB or 1MiB)",
                "gridgate.yaml:2:83 /server/limits/bodyReadTimeout: \"0s\" "
                        + "(expected: a positive duration such as 500ms, 2s, 1m)",
                "gridgate.yaml:4:62 /routes/0/maxBodyBytes: \"10MB\" "
                        + "(expected: a byte size from 0 to 16GiB, such as 65536, 64KiB or 1MiB)");
    }

    @Test
    void reportsCorsOriginsThatAreNotOriginsAtEachOne() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    cors:
                      allowOrigins:
                        - https://app.example.com/
                        - app.example.com
                        - ftp://files.example.com
                        - https://*.com
                        - "null"
                        - https://app.example.com:99999
                        - https://APP.example.com:443
                        - https://app.example.com
                """)).containsExactly(
                "gridgate.yaml:6:11 /routes/0/cors/allowOrigins/0: \"https://app.example.com/\" (expected: "
                        + CORS_ORIGIN + ")",
                "gridgate.yaml:7:11 /routes/0/cors/allowOrigins/1: \"app.example.com\" (expected: " + CORS_ORIGIN + ")",
                "gridgate.yaml:8:11 /routes/0/cors/allowOrigins/2: \"ftp://files.example.com\" (expected: "
                        + CORS_ORIGIN + ")",
                "gridgate.yaml:9:11 /routes/0/cors/allowOrigins/3: \"https://*.com\" (expected: " + CORS_ORIGIN + ")",
                "gridgate.yaml:10:11 /routes/0/cors/allowOrigins/4: \"null\" (expected: " + CORS_ORIGIN + ")",
                "gridgate.yaml:11:11 /routes/0/cors/allowOrigins/5: \"https://app.example.com:99999\" (expected: "
                        + CORS_ORIGIN + ")",
                "gridgate.yaml:13:11 /routes/0/cors/allowOrigins/7: \"https://app.example.com\" "
                        + "(expected: each value once; first at line 12)");
    }

    private static final String CORS_ORIGIN = "an origin such as https://app.example.com (scheme, host and port only), "
            + "a pattern such as https://*.example.com, or \"*\"";

    @Test
    void refusesAWildcardOriginBesideOthersOrWithCredentials() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    cors: {allowOrigins: ["*", "https://app.example.com"]}
                  - id: b
                    upstream: http://127.0.0.1:9000
                    cors: {allowOrigins: ["*"], allowCredentials: true}
                """)).containsExactly(
                "gridgate.yaml:4:26 /routes/0/cors/allowOrigins: [...] (expected: \"*\" alone, or origins without it)",
                "gridgate.yaml:7:51 /routes/1/cors/allowCredentials: true (expected: false, since allowOrigins is "
                        + "\"*\"; list the origins that may send credentials)");
    }

    @Test
    void reportsMissingOriginsAndBadCorsMethodsHeadersAndMaxAge() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    cors: {allowMethods: [], allowHeaders: ["*", "X Bad"], exposeHeaders: [X-Ok], maxAge: 10}
                  - id: b
                    upstream: http://127.0.0.1:9000
                    cors: {allowOrigins: [], allowMethods: ["*"], allowCredentials: yes}
                    cros: {}
                """)).containsExactly(
                "gridgate.yaml:4:11 /routes/0/cors: missing \"allowOrigins\" (expected: the origins that may call "
                        + "this route, such as [\"https://app.example.com\"])",
                "gridgate.yaml:4:26 /routes/0/cors/allowMethods: [] (expected: at least one method)",
                "gridgate.yaml:4:45 /routes/0/cors/allowHeaders/0: \"*\" (expected: a header name)",
                "gridgate.yaml:4:50 /routes/0/cors/allowHeaders/1: \"X Bad\" (expected: a header name)",
                "gridgate.yaml:4:91 /routes/0/cors/maxAge: 10 (expected: a duration such as 0s, 500ms, 2s)",
                "gridgate.yaml:7:26 /routes/1/cors/allowOrigins: [] (expected: at least one origin)",
                "gridgate.yaml:7:45 /routes/1/cors/allowMethods/0: \"*\" (expected: an HTTP method such as GET)",
                "gridgate.yaml:7:69 /routes/1/cors/allowCredentials: \"yes\" (expected: true or false)",
                "gridgate.yaml:8:5 /routes/1/cros: unknown key (expected: one of id, match, upstream, versions, rewrite, "
                        + "hostHeader, forwarded, timeouts, pool, loadBalancer, rateLimits, concurrency, deprecation, retry, "
                        + "fallback, auth, ipRules, maxBodyBytes, cors, responseHeaders, cache, compose, clients; did you mean \"cors\"?)");
    }

    @Test
    void reportsEachBadTracingSetting() {
        assertThat(errors("""
                tracing:
                  enabled: true
                  protocol: thrift
                  sampler: sometimes
                  samplerArg: 2
                  serviceName: "my service"
                  resourceAttributes: {env: "a,b", team: "edge gateways"}
                  maxQueueSize: 0
                """)).containsExactly(
                "gridgate.yaml:2:3 /tracing: missing \"endpoint\" (expected: the OTLP endpoint, such as "
                        + "http://otel-collector:4318, or OTEL_EXPORTER_OTLP_ENDPOINT in the environment)",
                "gridgate.yaml:3:13 /tracing/protocol: \"thrift\" (expected: one of grpc, http/protobuf)",
                "gridgate.yaml:4:12 /tracing/sampler: \"sometimes\" (expected: one of always_on, always_off, "
                        + "traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio)",
                "gridgate.yaml:5:15 /tracing/samplerArg: 2 (expected: a ratio from 0 to 1 such as 0.25)",
                "gridgate.yaml:6:16 /tracing/serviceName: \"my service\" (expected: a name without spaces, ',' or '=')",
                "gridgate.yaml:7:29 /tracing/resourceAttributes/env: \"a,b\" (expected: a value of printable "
                        + "characters without ',' or '=')",
                "gridgate.yaml:8:17 /tracing/maxQueueSize: 0 (expected: an integer from 1 to 1000000)");
    }

    @Test
    void anExportBatchLargerThanTheQueueIsRefusedWhereItIsWritten() {
        assertThat(errors("""
                tracing:
                  endpoint: http://collector:4318
                  maxQueueSize: 100
                  exportBatchSize: 200
                """)).containsExactly(
                "gridgate.yaml:4:20 /tracing/exportBatchSize: 200 (expected: at most maxQueueSize (100))");
    }

    @Test
    void reportsEachBadAccessLogSetting() {
        assertThat(errors("""
                accessLog:
                  enabled: "yes"
                  output: syslog
                  maxFileSize: 100
                  maxFiles: 0
                  queueSize: 0
                """)).containsExactly(
                "gridgate.yaml:2:12 /accessLog/enabled: \"yes\" (expected: true or false)",
                "gridgate.yaml:3:11 /accessLog/output: \"syslog\" (expected: one of stdout, file)",
                "gridgate.yaml:4:16 /accessLog/maxFileSize: 100 (expected: at least 1KiB)",
                "gridgate.yaml:5:13 /accessLog/maxFiles: 0 (expected: an integer from 1 to 1000)",
                "gridgate.yaml:6:14 /accessLog/queueSize: 0 (expected: an integer from 1 to 1000000)");
    }

    @Test
    void anAccessLogFileNeedsAWritableDirectoryAndFileOutput() {
        assertThat(errors("""
                accessLog: {output: file}
                """)).containsExactly("gridgate.yaml:1:12 /accessLog: missing \"file\" "
                + "(expected: the access log's path, since output is file)");
        assertThat(errors("""
                accessLog: {output: file, file: /no/such/dir/access.log}
                """)).containsExactly("gridgate.yaml:1:33 /accessLog/file: \"/no/such/dir/access.log\" "
                + "(expected: a file path whose directory exists and is writable)");
        assertThat(errors("""
                accessLog: {file: /tmp/access.log}
                """)).containsExactly("gridgate.yaml:1:19 /accessLog/file: \"/tmp/access.log\" "
                + "(expected: no file, since output is stdout)");
    }

    @Test
    void reportsBadClusterCacheBounds() {
        assertThat(errors("""
                cluster:
                  cache: {maxHeap: 100KiB, nearCacheEntries: 0, size: 1}
                """)).containsExactly(
                "gridgate.yaml:2:20 /cluster/cache/maxHeap: \"100KiB\" (expected: at least 1MiB)",
                "gridgate.yaml:2:46 /cluster/cache/nearCacheEntries: 0 (expected: an integer from 1 to 1000000)",
                "gridgate.yaml:2:49 /cluster/cache/size: unknown key (expected: one of maxHeap, nearCacheEntries)");
    }

    @Test
    void reportsEachBadCacheSetting() {
        assertThat(errors("""
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    cache: {ttl: 10, statuses: [200, 199, "x"], maxEntryBytes: 100MiB, keyPerConsumer: true}
                  - id: b
                    upstream: http://127.0.0.1:9000
                    cache: {statuses: [], keyHeaders: ["X Bad"], maxStale: -1s, singleFlightWait: 5, tll: 1s}
                  - id: c
                    upstream: http://127.0.0.1:9000
                    cache: 60s
                  - id: d
                    upstream: http://127.0.0.1:9000
                    cache: {maxEntryBytes: 0}
                """)).containsExactly(
                "gridgate.yaml:4:18 /routes/0/cache/ttl: 10 (expected: a duration such as 0s, 500ms, 2s)",
                "gridgate.yaml:4:38 /routes/0/cache/statuses/1: 199 (expected: an integer from 200 to 599)",
                "gridgate.yaml:4:43 /routes/0/cache/statuses/2: \"x\" (expected: an integer from 200 to 599)",
                "gridgate.yaml:4:64 /routes/0/cache/maxEntryBytes: \"100MiB\" (expected: a byte size from 0 to 64MiB, "
                        + "such as 65536, 64KiB or 1MiB)",
                "gridgate.yaml:4:88 /routes/0/cache/keyPerConsumer: true (expected: false, since the route has no auth "
                        + "to name a consumer)",
                "gridgate.yaml:7:23 /routes/1/cache/statuses: [] (expected: at least one status)",
                "gridgate.yaml:7:40 /routes/1/cache/keyHeaders/0: \"X Bad\" (expected: a header name)",
                "gridgate.yaml:7:60 /routes/1/cache/maxStale: \"-1s\" (expected: a duration such as 0s, 500ms, 2s)",
                "gridgate.yaml:7:83 /routes/1/cache/singleFlightWait: 5 (expected: a duration such as 0s, 500ms, 2s)",
                "gridgate.yaml:7:86 /routes/1/cache/tll: unknown key (expected: one of ttl, statuses, maxEntryBytes, "
                        + "keyPerConsumer, keyHeaders, maxStale, singleFlightWait; did you mean \"ttl\"?)",
                "gridgate.yaml:10:12 /routes/2/cache: \"60s\" (expected: a mapping)",
                "gridgate.yaml:13:28 /routes/3/cache/maxEntryBytes: 0 (expected: at least 1 byte; to cache nothing, "
                        + "leave out the route's cache)");
    }

    @Test
    void refusesResponseHeadersThatAreNoHeadersOrThatTheGatewayOwns() {
        assertThat(errors("""
                server:
                  responseHeaders:
                    set: {X-Content-Type-Options: nosniff, "X Bad": x, X-Split: "a\\r\\nSet-Cookie: s=1"}
                    remove: [Transfer-Encoding]
                routes:
                  - id: a
                    upstream: http://127.0.0.1:9000
                    responseHeaders:
                      set:
                        Content-Length: "0"
                        Access-Control-Allow-Origin: "*"
                        x-frame-options: DENY
                        X-Frame-Options: SAMEORIGIN
                      remove: [Connection, X-Frame-Options, access-control-expose-headers]
                  - id: b
                    upstream: http://127.0.0.1:9000
                    responseHeaders: {set: [X-A], remove: X-B, add: {}}
                """)).containsExactly(
                "gridgate.yaml:3:44 /server/responseHeaders/set/X Bad: \"X Bad\" (expected: a header name)",
                "gridgate.yaml:3:65 /server/responseHeaders/set/X-Split: \"a\\r\\nSet-Cookie: s=1\" "
                        + "(expected: a header value of printable ASCII characters)",
                "gridgate.yaml:4:14 /server/responseHeaders/remove/0: \"Transfer-Encoding\" (expected: a header other "
                        + "than Content-Length, Transfer-Encoding and Connection, which the gateway sets itself)",
                "gridgate.yaml:10:9 /routes/0/responseHeaders/set/Content-Length: \"Content-Length\" (expected: a header "
                        + "other than Content-Length, Transfer-Encoding and Connection, which the gateway sets itself)",
                "gridgate.yaml:11:9 /routes/0/responseHeaders/set/Access-Control-Allow-Origin: "
                        + "\"Access-Control-Allow-Origin\" (expected: a header other than Access-Control-*, "
                        + "which a route's cors sets)",
                "gridgate.yaml:13:9 /routes/0/responseHeaders/set/X-Frame-Options: \"X-Frame-Options\" "
                        + "(expected: each header once; first at line 12)",
                "gridgate.yaml:14:16 /routes/0/responseHeaders/remove/0: \"Connection\" (expected: a header other "
                        + "than Content-Length, Transfer-Encoding and Connection, which the gateway sets itself)",
                "gridgate.yaml:14:28 /routes/0/responseHeaders/remove/1: \"X-Frame-Options\" "
                        + "(expected: a header that set does not name; set replaces it anyway)",
                "gridgate.yaml:14:45 /routes/0/responseHeaders/remove/2: \"access-control-expose-headers\" "
                        + "(expected: a header other than Access-Control-*, which a route's cors sets)",
                "gridgate.yaml:17:28 /routes/1/responseHeaders/set: [...] "
                        + "(expected: a mapping of header name to value, such as {X-Content-Type-Options: nosniff})",
                "gridgate.yaml:17:43 /routes/1/responseHeaders/remove: \"X-B\" "
                        + "(expected: a sequence of header names such as [Server, X-Powered-By])",
                "gridgate.yaml:17:48 /routes/1/responseHeaders/add: unknown key (expected: one of set, remove)");
    }
}
