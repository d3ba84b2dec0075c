package io.gridgate.node.security;

import io.gridgate.node.config.IpRulesConfig;
import io.gridgate.node.pipeline.IpRules;
import io.gridgate.node.testing.RawHttp;
import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class IpRulesTest {

    private final Queue<String> upstreamPaths = new ConcurrentLinkedQueue<>();
    private final TestUpstream upstream = TestUpstream.start(exchange -> {
        upstreamPaths.add(exchange.getRequestURI());
        exchange.getResponseSender().send("ok");
    });
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
    }

    private static InetAddress ip(String literal) throws IOException {
        return InetAddress.getByName(literal);
    }

    private void start(String serverSettings, String routes) {
        startOn("127.0.0.1", serverSettings, routes);
    }

    private void startOn(String bindAddress, String serverSettings, String routes) {
        gateway = TestGateway.start("""
                server: {bindAddress: "%s", port: 0, ioThreads: 1, drainTimeout: 5s%s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                routes:
                """.formatted(bindAddress, serverSettings.isEmpty() ? "" : ", " + serverSettings)
                + routes.formatted(upstream.url()).indent(2));
    }

    private RawHttp.Response get(String path, String... forwardedFor) throws IOException {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n");
        for (String value : forwardedFor) {
            request.append("X-Forwarded-For: ").append(value).append("\r\n");
        }
        return RawHttp.exchange(gateway.port(), request.append("\r\n").toString());
    }

    // The decision, without HTTP.

    @Test
    void emptyRulesAllowEveryoneEvenAnUnknownClient() throws IOException {
        IpRules rules = IpRules.parse(IpRulesConfig.NONE);

        assertThat(rules.isEmpty()).isTrue();
        assertThat(rules.isAllowed(ip("203.0.113.7"))).isTrue();
        assertThat(rules.isAllowed(null)).isTrue();
    }

    @Test
    void anAllowListAdmitsOnlyItsRanges() throws IOException {
        IpRules rules = IpRules.parse(new IpRulesConfig(List.of("192.0.2.0/24", "2001:db8::/32"), List.of()));

        assertThat(rules.isAllowed(ip("192.0.2.200"))).isTrue();
        assertThat(rules.isAllowed(ip("192.0.3.1"))).isFalse();
        assertThat(rules.isAllowed(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(rules.isAllowed(ip("2001:db9::1"))).isFalse();
        assertThat(rules.isAllowed(ip("::ffff:192.0.2.9"))).as("IPv4-mapped IPv6 is the IPv4 address").isTrue();
    }

    @Test
    void denyWinsOverAllow() throws IOException {
        IpRules rules = IpRules.parse(new IpRulesConfig(List.of("10.0.0.0/8"), List.of("10.6.6.0/24", "10.7.7.7")));

        assertThat(rules.isAllowed(ip("10.1.2.3"))).isTrue();
        assertThat(rules.isAllowed(ip("10.6.6.1"))).isFalse();
        assertThat(rules.isAllowed(ip("10.7.7.7"))).isFalse();
        assertThat(rules.isAllowed(ip("10.7.7.8"))).isTrue();
    }

    @Test
    void aDenyListAloneAdmitsEveryoneElse() throws IOException {
        IpRules rules = IpRules.parse(new IpRulesConfig(List.of(), List.of("2001:db8:bad::/48")));

        assertThat(rules.isAllowed(ip("2001:db8:bad:1::1"))).isFalse();
        assertThat(rules.isAllowed(ip("2001:db8:600d::1"))).isTrue();
        assertThat(rules.isAllowed(ip("198.51.100.1"))).isTrue();
    }

    @Test
    void anUnknownClientIsRefusedByAnyRules() {
        assertThat(IpRules.parse(new IpRulesConfig(List.of(), List.of("10.0.0.0/8"))).isAllowed(null)).isFalse();
        assertThat(IpRules.parse(new IpRulesConfig(List.of("0.0.0.0/0"), List.of())).isAllowed(null)).isFalse();
    }

    @Test
    void prefixesMatchBitByBit() throws IOException {
        IpRules rules = IpRules.parse(new IpRulesConfig(List.of("172.16.0.0/12", "2001:db8:8000::/33"), List.of()));

        assertThat(rules.isAllowed(ip("172.31.255.255"))).isTrue();
        assertThat(rules.isAllowed(ip("172.32.0.0"))).isFalse();
        assertThat(rules.isAllowed(ip("2001:db8:8000::1"))).isTrue();
        assertThat(rules.isAllowed(ip("2001:db8:7fff::1"))).isFalse();
    }

    // Over HTTP, client on loopback.

    @Test
    void aRouteAllowListRefusesClientsOutsideItBeforeTheUpstreamSeesThem() throws IOException {
        start("", """
                - id: staff
                  match: {pathPrefix: /staff}
                  upstream: %1$s
                  ipRules: {allow: [192.0.2.0/24]}
                - id: local
                  match: {pathPrefix: /local}
                  upstream: %1$s
                  ipRules: {allow: [127.0.0.0/8, "::1"]}
                - id: open
                  match: {pathPrefix: /open}
                  upstream: %1$s
                """);

        RawHttp.Response denied = get("/staff/payroll");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.header("Content-Type")).isEqualTo("application/json");
        assertThat(denied.body()).contains("\"error\":\"ip_denied\"").contains("may not use this route");
        assertThat(get("/local/x").status()).isEqualTo(200);
        assertThat(get("/open/x").status()).isEqualTo(200);
        assertThat(upstreamPaths).containsExactly("/local/x", "/open/x");
    }

    @Test
    void denyWinsOnARouteToo() throws IOException {
        start("", """
                - id: blocked
                  match: {pathPrefix: /blocked}
                  upstream: %1$s
                  ipRules: {allow: [127.0.0.0/8], deny: [127.0.0.1]}
                """);

        assertThat(get("/blocked").status()).isEqualTo(403);
        assertThat(upstreamPaths).isEmpty();
    }

    @Test
    void anIpv6AllowListRefusesAnIpv4Client() throws IOException {
        start("", """
                - id: v6
                  upstream: %1$s
                  ipRules: {allow: ["2001:db8::/32"]}
                """);

        assertThat(get("/x").status()).isEqualTo(403);
    }

    @Test
    void aSpoofedForwardedForFromAnUntrustedPeerGrantsNothing() throws IOException {
        start("", """
                - id: staff
                  match: {pathPrefix: /staff}
                  upstream: %1$s
                  ipRules: {allow: [192.0.2.0/24]}
                """);

        assertThat(get("/staff", "192.0.2.10").status()).isEqualTo(403);
        assertThat(get("/staff", "192.0.2.10, 192.0.2.11").status()).isEqualTo(403);
        assertThat(get("/staff", "192.0.2.10", "192.0.2.10").status()).isEqualTo(403);
        assertThat(upstreamPaths).isEmpty();
    }

    @Test
    void serverRulesRefuseBeforeRouteMatching() throws IOException {
        start("ipRules: {deny: [127.0.0.1]}", """
                - id: open
                  match: {pathPrefix: /open}
                  upstream: %1$s
                """);

        RawHttp.Response open = get("/open");
        assertThat(open.status()).isEqualTo(403);
        assertThat(open.body()).contains("\"error\":\"ip_denied\"").contains("may not use this gateway");
        assertThat(get("/no/such/route").status()).as("refused before a 404 could tell routes apart").isEqualTo(403);
        assertThat(get("/open/..;/x").status()).as("refused before the path is read").isEqualTo(403);
        assertThat(upstreamPaths).isEmpty();
    }

    @Test
    void aServerAllowListRefusesEveryoneOutsideIt() throws IOException {
        start("ipRules: {allow: [\"10.0.0.0/8\", \"2001:db8::/32\"]}", """
                - id: open
                  upstream: %1$s
                """);

        assertThat(get("/anything").status()).isEqualTo(403);
        assertThat(upstreamPaths).isEmpty();
    }

    // Behind a trusted proxy on loopback.

    @Test
    void behindATrustedProxyTheRightmostUntrustedHopDecides() throws IOException {
        start("trustedProxies: [127.0.0.1], ipRules: {deny: [198.51.100.0/24]}", """
                - id: staff
                  match: {pathPrefix: /staff}
                  upstream: %1$s
                  ipRules: {allow: [192.0.2.0/24]}
                - id: open
                  match: {pathPrefix: /open}
                  upstream: %1$s
                """);

        assertThat(get("/staff", "192.0.2.10").status()).isEqualTo(200);
        assertThat(get("/staff", "203.0.113.7, 192.0.2.10").status()).as("a forged entry left of the client").isEqualTo(200);
        assertThat(get("/staff", "192.0.2.10, 127.0.0.1").status()).as("through two trusted proxies").isEqualTo(200);
        assertThat(get("/staff", "192.0.2.10:5173").status()).as("an entry with a port").isEqualTo(200);
        assertThat(get("/staff", "192.0.2.10, 203.0.113.7").status()).as("the client is 203.0.113.7").isEqualTo(403);
        assertThat(get("/staff", "192.0.2.10", "203.0.113.7").status()).as("over two header lines").isEqualTo(403);
        assertThat(get("/staff").status()).as("no header: the proxy itself is the client").isEqualTo(403);
        assertThat(get("/staff", "unknown").status()).as("an unknown client fails closed").isEqualTo(403);
        assertThat(get("/staff", "999.0.2.10").status()).as("not an address, and never a DNS lookup").isEqualTo(403);
        assertThat(get("/staff", "0192.0.2.10").status()).as("an ambiguous leading zero").isEqualTo(403);
        assertThat(get("/open", "198.51.100.4").status()).as("the server's deny list, by forwarded client").isEqualTo(403);
        assertThat(get("/open", "198.51.100.4, 192.0.2.10").status()).isEqualTo(200);
        assertThat(upstreamPaths).containsExactly("/staff", "/staff", "/staff", "/staff", "/open");
    }

    @Test
    void forwardedIpv6ClientsMatchIpv6Ranges() throws IOException {
        start("trustedProxies: [127.0.0.1]", """
                - id: v6
                  upstream: %1$s
                  ipRules: {allow: ["2001:db8::/32"], deny: ["2001:db8:bad::/48"]}
                """);

        assertThat(get("/x", "2001:db8::5").status()).isEqualTo(200);
        assertThat(get("/x", "[2001:DB8:0::5]:443").status()).isEqualTo(200);
        assertThat(get("/x", "2001:db8:bad::1").status()).isEqualTo(403);
        assertThat(get("/x", "2001:db9::1").status()).isEqualTo(403);
        assertThat(get("/x", "192.0.2.10").status()).isEqualTo(403);
    }

    // A client connecting over IPv6.

    @Test
    void anIpv6ClientIsMatchedByItsOwnAddress() throws Exception {
        assumeTrue(ipv6Loopback(), "no IPv6 loopback on this machine");
        startOn("::1", "", """
                - id: mine
                  match: {pathPrefix: /mine}
                  upstream: %1$s
                  ipRules: {allow: ["::1/128"]}
                - id: v4only
                  match: {pathPrefix: /v4only}
                  upstream: %1$s
                  ipRules: {allow: [127.0.0.0/8]}
                - id: nobody
                  match: {pathPrefix: /nobody}
                  upstream: %1$s
                  ipRules: {deny: ["::/0"]}
                """);
        HttpClient client = HttpClient.newHttpClient();

        assertThat(v6Get(client, "/mine")).isEqualTo(200);
        assertThat(v6Get(client, "/v4only")).isEqualTo(403);
        assertThat(v6Get(client, "/nobody")).isEqualTo(403);
    }

    private int v6Get(HttpClient client, String path) throws Exception {
        URI uri = URI.create("http://[::1]:" + gateway.port() + path);
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static boolean ipv6Loopback() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(Inet6Address.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
