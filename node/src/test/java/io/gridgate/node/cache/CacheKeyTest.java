package io.gridgate.node.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class CacheKeyTest {

    private static final CachePolicy SHARED = CachePolicy.of(CacheRules.builder().build());
    private static final CachePolicy KEYED = CachePolicy.of(CacheRules.builder()
            .keyHeaders(List.of(" X-Tenant ")).keyPerConsumer(true).build());

    /** A request as the key sees it. */
    record Req(String method, String host, String path, String query, String headers, List<String> vary, String consumer) {

        static Req get(String query) {
            return new Req("GET", "api.example.com", "/items", query, "", List.of(), null);
        }

        Req headers(String h) {
            return new Req(method, host, path, query, h, vary, consumer);
        }

        Req vary(String... names) {
            return new Req(method, host, path, query, headers, List.of(names), consumer);
        }

        Req consumer(String c) {
            return new Req(method, host, path, query, headers, vary, c);
        }

        Req host(String h) {
            return new Req(method, h, path, query, headers, vary, consumer);
        }

        Req path(String p) {
            return new Req(method, host, p, query, headers, vary, consumer);
        }

        Req method(String m) {
            return new Req(m, host, path, query, headers, vary, consumer);
        }

        String key(CachePolicy policy) {
            return policy.key(method, host, path, query, TestHeaders.parse(headers), vary, consumer);
        }
    }

    static Stream<Arguments> same() {
        return Stream.of(
                arguments(Req.get("b=2&a=1"), Req.get("a=1&b=2")),
                arguments(Req.get("a=2&a=1"), Req.get("a=1&a=2")),
                arguments(Req.get("a=1&&b=2"), Req.get("b=2&a=1")),
                arguments(Req.get("").host("API.Example.COM"), Req.get("").host("api.example.com")),
                arguments(Req.get(null), Req.get("")),
                arguments(Req.get("").headers("User-Agent: x | X-Trace: 1"), Req.get("").headers("User-Agent: y")),
                arguments(Req.get("").headers("Accept: text/html"), Req.get("").headers("Accept: application/json")),
                arguments(Req.get("").vary("Accept-Encoding").headers("Accept-Encoding: gzip, br"),
                        Req.get("").vary("accept-encoding").headers("Accept-Encoding:   gzip,br ")),
                arguments(Req.get("").vary("Accept-Encoding").headers("Accept-Encoding: gzip | Accept-Encoding: br"),
                        Req.get("").vary("Accept-Encoding").headers("Accept-Encoding: gzip, br")),
                arguments(Req.get("").vary("Accept", "Accept-Language").headers("Accept: a | Accept-Language: l"),
                        Req.get("").vary("accept-language", "ACCEPT", "accept").headers("Accept-Language: l | Accept: a")),
                arguments(Req.get("").vary("Accept").headers("Accept: a | Cookie: c1"),
                        Req.get("").vary("Accept").headers("Accept: a | Cookie: c2")),
                arguments(Req.get("").consumer("alice"), Req.get("").consumer("bob")));
    }

    @ParameterizedTest(name = "{0} ~ {1}")
    @MethodSource("same")
    void ignoresWhatDoesNotIdentifyTheResponse(Req a, Req b) {
        assertThat(a.key(SHARED)).isEqualTo(b.key(SHARED));
    }

    static Stream<Arguments> different() {
        return Stream.of(
                arguments(Req.get("a=b&c"), Req.get("a&b=c")),
                arguments(Req.get("a=1"), Req.get("a=1&a=1")),
                arguments(Req.get("a"), Req.get("a=")),
                arguments(Req.get("a=1"), Req.get("A=1")),
                arguments(Req.get("a=%20"), Req.get("a=+")),
                arguments(Req.get(""), Req.get("").method("HEAD")),
                arguments(Req.get(""), Req.get("").path("/items/")),
                arguments(Req.get("").path("/a"), Req.get("").path("/A")),
                arguments(Req.get(""), Req.get("").host("other.example.com")),
                arguments(Req.get("").path("/ab").host("x"), Req.get("").path("b").host("x/a")),
                arguments(Req.get("").vary("Accept-Encoding").headers("Accept-Encoding: gzip"),
                        Req.get("").vary("Accept-Encoding").headers("Accept-Encoding: br")),
                arguments(Req.get("").vary("Accept-Encoding"),
                        Req.get("").vary("Accept-Encoding").headers("Accept-Encoding: ")),
                arguments(Req.get("").vary("Accept").headers("Accept: a"), Req.get("").headers("Accept: a")),
                arguments(Req.get("").vary("A", "B").headers("A: 1,2"), Req.get("").vary("A", "B").headers("A: 1 | B: 2")));
    }

    @ParameterizedTest(name = "{0} != {1}")
    @MethodSource("different")
    void separatesWhatIdentifiesAnotherResponse(Req a, Req b) {
        assertThat(a.key(SHARED)).isNotEqualTo(b.key(SHARED));
    }

    @Test
    void keysByConfiguredHeadersAndConsumerWhenTheRouteSaysSo() {
        Req base = Req.get("").headers("X-Tenant: t1").consumer("alice");

        assertThat(base.key(KEYED)).isNotEqualTo(base.headers("X-Tenant: t2").key(KEYED));
        assertThat(base.key(KEYED)).isNotEqualTo(base.consumer("bob").key(KEYED));
        assertThat(base.key(KEYED)).isNotEqualTo(base.consumer(null).key(KEYED));
        assertThat(base.key(KEYED)).isEqualTo(base.headers("x-tenant: t1 | User-Agent: z").key(KEYED));
    }

    @Test
    void isTheHexOfASha256() {
        assertThat(Req.get("a=1").key(SHARED)).matches("[0-9a-f]{64}");
    }

    @Test
    void readsVaryNamesNormalized() {
        assertThat(CachePolicy.varyHeaderNames(TestHeaders.parse("Vary: Accept-Encoding, ACCEPT | Vary: accept")))
                .containsExactly("accept", "accept-encoding");
    }
}
