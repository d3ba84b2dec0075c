package io.gridgate.node.config;

import io.gridgate.node.config.YamlNode.Scalar;

import java.util.function.Function;

/**
 * Checks one YAML value and converts it. The same type checks a file value and the environment
 * variable that overrides it, so both fail with the same constraint text.
 */
@FunctionalInterface
interface ValueType<T> {

    Checked<T> check(YamlNode node);

    /** A converted value, or the constraint it failed as error messages print it after "expected:". */
    record Checked<T>(T value, String expected) {

        static <T> Checked<T> ok(T value) {
            return new Checked<>(value, null);
        }

        static <T> Checked<T> rejected(String expected) {
            return new Checked<>(null, expected);
        }

        boolean ok() {
            return expected == null;
        }
    }

    /**
     * A type over the text of any non-null scalar (a number or boolean counts as its text as written).
     *
     * @param convert the value, or {@code null} when the text breaks the constraint
     */
    static <T> ValueType<T> text(String expected, Function<String, T> convert) {
        return textChecked(text -> {
            T value = convert.apply(text);
            return value == null ? Checked.rejected(expected) : Checked.ok(value);
        }, expected);
    }

    /** Like {@link #text} for constraints whose message depends on what is wrong with the text. */
    static <T> ValueType<T> textChecked(Function<String, Checked<T>> check, String expected) {
        return node -> node instanceof Scalar s && s.isText() ? check.apply(s.text()) : Checked.rejected(expected);
    }
}
