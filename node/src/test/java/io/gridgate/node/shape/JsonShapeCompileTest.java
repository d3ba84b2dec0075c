package io.gridgate.node.shape;

import com.fasterxml.jackson.databind.node.IntNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every compile error, with its exact message: a route's configuration reports it as it is. */
class JsonShapeCompileTest {

    static Stream<Arguments> errors() {
        return Stream.of(
                arguments(ShapeRules.builder().include("/id", "/customer", "/items/**"),
                        "include[2]: \"/items/**\" (expected: * for every member or element at one step; "
                                + "** (any depth) is not supported)"),
                arguments(ShapeRules.builder().exclude("a..b"),
                        "exclude[0]: \"a..b\" (expected: a dotted path of non-empty names such as items[*].sku; "
                                + "a JSON Pointer for names with . [ ] or /)"),
                arguments(ShapeRules.builder().exclude("/ok", "/a~2b"),
                        "exclude[1]: \"/a~2b\" (expected: ~0 for ~ and ~1 for / in a JSON Pointer (RFC 6901))"),
                arguments(ShapeRules.builder().include(""),
                        "include[0]: \"\" (expected: a JSON Pointer such as /customer/name or a dotted path such as customer.name)"),
                arguments(ShapeRules.builder().include("/a" + "/b".repeat(32)),
                        "include[0]: \"/a" + "/b".repeat(32) + "\" (expected: at most 32 steps)"),
                arguments(ShapeRules.builder().defaultValue("/ok", IntNode.valueOf(1)).defaultValue("/items/*", IntNode.valueOf(1)),
                        "defaults[1]: \"/items/*\" (expected: a member name as the last step; * cannot say which member to add)"),
                arguments(ShapeRules.builder().rename("/items/*", "/things"),
                        "rename[0].from: \"/items/*\" (expected: a member name as the last step, not *)"),
                arguments(ShapeRules.builder().rename("/a", "/b").rename("/c", "x[y]"),
                        "rename[1].to: \"x[y]\" (expected: [*] or an index such as [0] between brackets)"),
                arguments(ShapeRules.builder().rename("items[*].sku", "/items/*"),
                        "rename[0].to: \"/items/*\" (expected: a member name as the last step, not *)"),
                arguments(ShapeRules.builder().rename("/items/*/sku", "/id"),
                        "rename[0]: \"/items/*/sku\" -> \"/id\" (expected: as many * steps in the target as in the source (1))"),
                arguments(ShapeRules.builder().rename("/a/*/x", "/b/*/x"),
                        "rename[0]: \"/a/*/x\" -> \"/b/*/x\" (expected: the same steps as the source up to its last * "
                                + "(/a/*), so that each * stands for the same member or element)"),
                arguments(ShapeRules.builder().rename("/a/*/b/*/c", "/a/*/c/*/c"),
                        "rename[0]: \"/a/*/b/*/c\" -> \"/a/*/c/*/c\" (expected: the same steps as the source up to its "
                                + "last * (/a/*/b/*), so that each * stands for the same member or element)"),
                arguments(ShapeRules.builder().flatten("/customer/*"),
                        "flatten[0]: \"/customer/*\" (expected: a member name as the last step, not *)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("errors")
    void rejectsAWrongEntryNamingItsRuleItsValueAndWhatWasExpected(ShapeRules.Builder rules, String message) {
        ShapeException e = catchThrowableOfType(ShapeException.class, () -> JsonShape.compile(rules.build()));

        assertThat(e).as("expected a ShapeException").isNotNull();
        assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThat(e.getMessage()).isEqualTo(e.rule() + ": " + e.value() + " (expected: " + e.expected() + ")");
    }

    @Test
    void acceptsTwoHundredFiftySixEntriesInAllAndRejectsOneMore() {
        ShapeRules.Builder rules = ShapeRules.builder();
        IntStream.range(0, 100).forEach(i -> rules.include("/i" + i));
        IntStream.range(0, 100).forEach(i -> rules.exclude("/e" + i));
        IntStream.range(0, 20).forEach(i -> rules.rename("/r" + i, "/s" + i));
        IntStream.range(0, 20).forEach(i -> rules.flatten("/f" + i));
        IntStream.range(0, 16).forEach(i -> rules.defaultValue("/d" + i, IntNode.valueOf(i)));
        assertThatCode(() -> JsonShape.compile(rules.build())).doesNotThrowAnyException();

        ShapeException e = catchThrowableOfType(ShapeException.class,
                () -> JsonShape.compile(rules.defaultValue("/one-more", IntNode.valueOf(0)).build()));
        assertThat(e).hasMessage("rules: 257 (expected: at most 256 entries in include, exclude, rename, flatten "
                + "and defaults together)");
    }

    @Test
    void acceptsWildcardRenamesThatPairUp() {
        assertThatCode(() -> JsonShape.compile(ShapeRules.builder()
                .rename("/items/*/sku", "/items/*/id")
                .rename("items[*].a.b", "items.*.c")
                .rename("/a/*/b/*/c", "/a/*/b/*/d/e")
                .build())).doesNotThrowAnyException();
    }

    @Test
    void refusesAMissingValueWhenTheRulesAreBuilt() {
        Map<String, String> renames = new HashMap<>();
        renames.put("/a", null);

        assertThatThrownBy(() -> ShapeRules.builder().defaultValue("/currency", null).build())
                .isInstanceOf(NullPointerException.class).hasMessage("defaults: no value for \"/currency\"");
        assertThatThrownBy(() -> new ShapeRules(List.of(), List.of(), renames, List.of(), Map.of()))
                .isInstanceOf(NullPointerException.class).hasMessage("rename: no value for \"/a\"");
    }

    @Test
    void keepsTheOrderRenamesAndDefaultsWereGivenIn() {
        ShapeRules rules = ShapeRules.builder().rename("/z", "/y").rename("/a", "/b").rename("/m", "/n")
                .defaultValue("/q", IntNode.valueOf(1)).defaultValue("/b", IntNode.valueOf(2)).build();

        assertThat(rules.rename().keySet()).containsExactly("/z", "/a", "/m");
        assertThat(rules.defaults().keySet()).containsExactly("/q", "/b");
        assertThat(rules.size()).isEqualTo(5);
    }
}
