package io.gridgate.node.shape;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PathTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/customer/name        | /customer/name",
            "customer.name         | /customer/name",
            "/items/*/sku          | /items/*/sku",
            "items[*].sku          | /items/*/sku",
            "items.*.sku           | /items/*/sku",
            "items[0].sku          | /items/0/sku",
            "items.0.sku           | /items/0/sku",
            "/items/0/sku          | /items/0/sku",
            "[*].id                | /*/id",
            "*.id                  | /*/id",
            "matrix[0][1]          | /matrix/0/1",
            "a[*][*]               | /a/*/*",
            "/a~1b/c~0d            | /a~1b/c~0d",
            "/                     | /",
            "/a//b                 | /a//b",
            "/a*b/*c               | /a*b/*c",
            "name-with~tilde       | /name-with~0tilde",
            "'with space.x'        | /with space/x",
    })
    void compilesBothSyntaxesToOneForm(String text, String pointer) {
        assertThat(Path.parse(text, "include[0]")).hasToString(pointer);
    }

    @Test
    void aPointerAndADottedPathNamingTheSameNodesAreEqual() {
        assertThat(Path.parse("items[*].sku", "r")).isEqualTo(Path.parse("/items/*/sku", "r"));
        assertThat(Path.parse("items.3.sku", "r")).isEqualTo(Path.parse("/items/3/sku", "r"));
    }

    @Test
    void unescapesPointerNamesInOrderTildeZeroOneIsTildeOneNotSlash() {
        assertThat(Path.parse("/a~1b/c~0d/~01", "r").steps())
                .containsExactly(Step.Member.of("a/b"), Step.Member.of("c~d"), Step.Member.of("~1"));
    }

    @ParameterizedTest(name = "{0} -> index {1}")
    @CsvSource({"0, 0", "7, 7", "42, 42", "123456789, 123456789", "01, -1", "-1, -1", "1234567890, -1", "x, -1", "'', -1"})
    void readsANameAsAnArrayIndexOnlyInCanonicalForm(String name, int index) {
        assertThat(Step.Member.of(name).index()).isEqualTo(index);
    }

    @Test
    void aStepOfOnlyAStarIsAWildcard() {
        assertThat(Path.parse("/items/*", "r").steps()).containsExactly(Step.Member.of("items"), Step.ANY);
        assertThat(Path.parse("/items/*x", "r").steps()).containsExactly(Step.Member.of("items"), Step.Member.of("*x"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', value = {
            "''             | a JSON Pointer such as /customer/name or a dotted path such as customer.name",
            "/items/**      | * for every member or element at one step; ** (any depth) is not supported",
            "items.**.sku   | * for every member or element at one step; ** (any depth) is not supported",
            "/a~2           | ~0 for ~ and ~1 for / in a JSON Pointer (RFC 6901)",
            "/a~            | ~0 for ~ and ~1 for / in a JSON Pointer (RFC 6901)",
            "a..b           | a dotted path of non-empty names such as items[*].sku; a JSON Pointer for names with . [ ] or /",
            ".a             | a dotted path of non-empty names such as items[*].sku; a JSON Pointer for names with . [ ] or /",
            "a.             | a dotted path of non-empty names such as items[*].sku; a JSON Pointer for names with . [ ] or /",
            "a.[0]          | a dotted path of non-empty names such as items[*].sku; a JSON Pointer for names with . [ ] or /",
            "a[0]b          | a dotted path of non-empty names such as items[*].sku; a JSON Pointer for names with . [ ] or /",
            "customer/name  | a dotted path of non-empty names such as items[*].sku; a JSON Pointer for names with . [ ] or /",
            "a]             | a dotted path of non-empty names such as items[*].sku; a JSON Pointer for names with . [ ] or /",
            "a[x]           | [*] or an index such as [0] between brackets",
            "a[01]          | [*] or an index such as [0] between brackets",
            "a[]            | [*] or an index such as [0] between brackets",
            "a[*            | [*] or an index such as [0] between brackets",
    })
    void rejectsMalformedPathsSayingWhatItExpected(String text, String expected) {
        ShapeException e = catchThrowableOfType(ShapeException.class, () -> Path.parse(text, "include[2]"));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo("include[2]: " + ShapeException.quoted(text) + " (expected: " + expected + ")");
        assertThat(e.rule()).isEqualTo("include[2]");
        assertThat(e.expected()).isEqualTo(expected);
    }

    @Test
    void acceptsThirtyTwoStepsAndRejectsThirtyThree() {
        String deepest = "/a".repeat(32);
        assertThat(Path.parse(deepest, "r").steps()).hasSize(32);

        ShapeException e = catchThrowableOfType(ShapeException.class, () -> Path.parse(deepest + "/a", "exclude[0]"));
        assertThat(e.getMessage()).isEqualTo("exclude[0]: \"" + deepest + "/a\" (expected: at most 32 steps)");
        assertThat(catchThrowableOfType(ShapeException.class, () -> Path.parse("a" + ".a".repeat(32), "r"))).isNotNull();
    }

    @Test
    void knowsItsLastWildcard() {
        assertThat(Path.parse("/a/*/b/*/c", "r").lastWildcard()).isEqualTo(3);
        assertThat(Path.parse("/a/b", "r").lastWildcard()).isEqualTo(-1);
        assertThat(Path.parse("/a/*/b/*/c", "r").steps(0, 2)).isEqualTo(List.of(Step.Member.of("a"), Step.ANY));
    }
}
