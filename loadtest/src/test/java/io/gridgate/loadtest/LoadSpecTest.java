package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadSpecTest {

    private static final InetSocketAddress TARGET = new InetSocketAddress("127.0.0.1", 8080);

    @Test
    void requiresTheDurationToBeSetExplicitly() {
        assertThatThrownBy(() -> LoadSpec.builder(TARGET).warmup(Duration.ZERO).build())
                .hasMessage("duration: null (expected: > 0s, set explicitly)");
    }

    @Test
    void requiresTheWarmupToBeSetExplicitly() {
        assertThatThrownBy(() -> LoadSpec.builder(TARGET).duration(Duration.ofSeconds(1)).build())
                .hasMessage("warmup: null (expected: >= 0s, set explicitly)");
    }

    @Test
    void echoesTheBadValueAndTheConstraint() {
        LoadSpec.Builder valid = LoadSpec.builder(TARGET).warmup(Duration.ZERO).duration(Duration.ofSeconds(1));

        assertThatThrownBy(() -> valid.connections(0).build())
                .hasMessage("connections: 0 (expected: >= 1)");
        assertThatThrownBy(() -> valid.connections(2).threads(3).build())
                .hasMessage("threads: 3 (expected: 1..2, at most one per connection)");
        assertThatThrownBy(() -> valid.threads(1).maxRequests(0).build())
                .hasMessage("maxRequests: 0 (expected: >= 1)");
        assertThatThrownBy(() -> valid.maxRequests(10).path("no-slash").build())
                .hasMessage("path: no-slash (expected: starting with /, printable ASCII)");
    }

    @Test
    void encodesOneKeepAliveGetWithTheTargetAsHost() {
        LoadSpec spec = LoadSpec.builder(TARGET).path("/bench").warmup(Duration.ZERO)
                .duration(Duration.ofSeconds(1)).build();
        var encoded = spec.request().encode(spec.endpoints().get(0));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.duplicate().get(bytes);

        assertThat(new String(bytes, java.nio.charset.StandardCharsets.US_ASCII))
                .startsWith("GET /bench HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n")
                .endsWith("\r\n\r\n")
                .doesNotContainIgnoringCase("connection: close");
    }

    @Test
    void needsAConnectionPerEndpointOnEveryThread() {
        List<Endpoint> two = List.of(Endpoint.of(TARGET, "/"),
                Endpoint.of(new InetSocketAddress("127.0.0.1", 8081), "/"));
        LoadSpec.Builder valid = LoadSpec.builder(two).warmup(Duration.ZERO).duration(Duration.ofSeconds(1));

        assertThatThrownBy(() -> valid.connections(3).threads(2).build())
                .hasMessage("connections: 3 (expected: >= 4, one per endpoint on each of 2 thread(s))");
        assertThatThrownBy(() -> valid.connections(4).path("/x").build())
                .hasMessage("path: /x (expected: unset; each endpoint has its own)");
        assertThatThrownBy(() -> LoadSpec.builder(List.of(two.get(0), two.get(0)))
                .warmup(Duration.ZERO).duration(Duration.ofSeconds(1)).build())
                .hasMessageStartingWith("endpoints: [http://127.0.0.1:8080/, http://127.0.0.1:8080/] (expected:");
        assertThat(LoadSpec.builder(two).connections(4).threads(2).warmup(Duration.ZERO)
                .duration(Duration.ofSeconds(1)).build().endpoints()).isEqualTo(two);
    }

    @Test
    void rejectsAFixedRateThatIsNotPositive() {
        assertThatThrownBy(() -> Pacing.fixedRate(-1))
                .hasMessage("requestsPerSecond: -1.0 (expected: > 0 and finite)");
    }
}
