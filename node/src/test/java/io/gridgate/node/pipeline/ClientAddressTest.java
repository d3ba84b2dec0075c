package io.gridgate.node.pipeline;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {

    private static final IpRanges PROXIES = IpRanges.parse(List.of("10.0.0.0/8", "192.168.1.7", "2001:db8::/32"));

    private static String resolve(String peer, String... forwardedFor) {
        HeaderMap headers = new HeaderMap();
        for (String value : forwardedFor) {
            headers.add(Headers.X_FORWARDED_FOR, value);
        }
        return ClientAddress.resolve(peer, headers.get(Headers.X_FORWARDED_FOR), PROXIES);
    }

    @Test
    void rangesMatchOnTheirPrefixOnly() {
        assertThat(PROXIES.containsLiteral("10.200.3.4")).isTrue();
        assertThat(PROXIES.containsLiteral("11.0.0.1")).isFalse();
        assertThat(PROXIES.containsLiteral("192.168.1.7")).isTrue();
        assertThat(PROXIES.containsLiteral("192.168.1.8")).isFalse();
        assertThat(PROXIES.containsLiteral("2001:db8:1::5")).isTrue();
        assertThat(PROXIES.containsLiteral("2001:db9::5")).isFalse();
        assertThat(PROXIES.containsLiteral("not-an-ip")).isFalse();
        assertThat(IpRanges.parse(List.of("172.16.0.0/12")).containsLiteral("172.31.255.255")).isTrue();
        assertThat(IpRanges.parse(List.of("172.16.0.0/12")).containsLiteral("172.32.0.0")).isFalse();
    }

    @Test
    void onlyIpLiteralsAndFittingPrefixesAreRanges() {
        assertThat(IpRanges.check("10.0.0.0/8")).isEqualTo("10.0.0.0/8");
        assertThat(IpRanges.check("10.0.0.0/33")).isNull();
        assertThat(IpRanges.check("example.com")).isNull();
        assertThat(IpRanges.check("::1/128")).isEqualTo("::1/128");
    }

    @Test
    void theClientIsTheRightmostHopThatIsNotATrustedProxy() {
        assertThat(resolve("10.0.0.5", "203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(resolve("10.0.0.5", "1.2.3.4, 203.0.113.9, 10.1.1.1")).isEqualTo("203.0.113.9");
        assertThat(resolve("10.0.0.5", "6.6.6.6", "203.0.113.9")).as("over two header lines").isEqualTo("203.0.113.9");
    }

    @Test
    void aChainOfTrustedProxiesOnlyGivesTheLeftmostOfThem() {
        assertThat(resolve("10.0.0.5", "10.9.9.9, 10.0.0.1")).isEqualTo("10.9.9.9");
        assertThat(resolve("10.0.0.5")).isEqualTo("10.0.0.5");
    }

    @Test
    void onlyStrictIpLiteralsAreAddressesAndNoTextGoesToDns() {
        assertThat(IpRanges.check("999.1.1.1")).as("digits that are no address: InetAddress would ask DNS").isNull();
        assertThat(IpRanges.check("010.0.0.1")).as("a leading zero, octal to some parsers").isNull();
        assertThat(IpRanges.check("1.2.3")).isNull();
        assertThat(IpRanges.check("1.2.3.4.5")).isNull();
        assertThat(IpRanges.check("0x7f.0.0.1")).isNull();
        assertThat(IpRanges.check("localhost")).isNull();
        assertThat(IpRanges.check("0.0.0.0/0")).isEqualTo("0.0.0.0/0");
        assertThat(IpRanges.address("999.1.1.1")).isNull();
        assertThat(IpRanges.address("::ffff:192.0.2.1").getAddress()).hasSize(4);
    }

    @Test
    void forwardedEntriesMayCarryPortsAndBrackets() {
        assertThat(resolve("10.0.0.5", "203.0.113.9:5173")).isEqualTo("203.0.113.9");
        assertThat(resolve("10.0.0.5", "[2001:db9::1]:443")).isEqualTo("2001:db9:0:0:0:0:0:1");
        assertThat(resolve("10.0.0.5", "203.0.113.9, 10.1.1.1:80")).as("a trusted proxy with a port").isEqualTo("203.0.113.9");
    }

    @Test
    void oneAddressHasOneSpellingSoItHasOneRateLimitKey() {
        assertThat(resolve("10.0.0.5", "2001:DB9:0::1")).isEqualTo(resolve("10.0.0.5", "2001:db9::1"));
        assertThat(resolve("10.0.0.5", "::ffff:203.0.113.9")).isEqualTo("203.0.113.9");
    }

    @Test
    void anEntryThatIsNoAddressIsTheClientAndNothingLeftOfItIsBelieved() {
        assertThat(resolve("10.0.0.5", "192.0.2.10, unknown")).isEqualTo("unknown");
        assertThat(resolve("10.0.0.5", "192.0.2.10, _hidden, 10.1.1.1")).isEqualTo("_hidden");
        assertThat(IpRanges.address(resolve("10.0.0.5", "192.0.2.10, unknown"))).isNull();
    }
}
