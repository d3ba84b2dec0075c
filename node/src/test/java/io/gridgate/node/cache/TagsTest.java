package io.gridgate.node.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TagsTest {

    static Stream<Arguments> tags() {
        String tag128 = "t".repeat(128);
        return Stream.of(
                arguments("", List.of()),
                arguments("Surrogate-Key: a b  c", List.of("a", "b", "c")),
                arguments("Surrogate-Key:   a\tb ", List.of("a", "b")),
                arguments("Cache-Tag: a, b ,c,,", List.of("a", "b", "c")),
                arguments("Surrogate-Key: a b | Cache-Tag: b, c", List.of("a", "b", "c")),
                arguments("Surrogate-Key: a | Surrogate-Key: b", List.of("a", "b")),
                arguments("Cache-Tag: product 1, shelf", List.of("product 1", "shelf")),
                arguments("Surrogate-Key: " + tag128 + " " + tag128 + "x ok", List.of(tag128, "ok")),
                arguments("Cache-Tag: bad\u0001tag, ok", List.of("ok")));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @MethodSource("tags")
    void readsTagsFromSurrogateKeyAndCacheTag(String response, List<String> expected) {
        assertThat(Tags.of(TestHeaders.parse(response))).containsExactlyElementsOf(expected);
    }

    @Test
    void keepsTheFirst32Tags() {
        String keys = IntStream.range(0, 40).mapToObj(i -> "k" + i).collect(Collectors.joining(" "));

        assertThat(Tags.of(TestHeaders.parse("Surrogate-Key: " + keys)))
                .hasSize(Tags.MAX_TAGS).contains("k0", "k31").doesNotContain("k32");
    }
}
