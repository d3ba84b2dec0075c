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
}
