package io.gridgate.node.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in the config: a positive whole number and one unit, {@code 500ms}, {@code 2s},
 * {@code 1m}, {@code 1h}. Bare numbers are refused: whether {@code 30} meant seconds or millis is
 * exactly the mistake that takes a gateway down.
 */
final class Durations {

    static final String EXPECTED = "a positive duration such as 500ms, 2s, 1m";
    static final String EXPECTED_OR_ZERO = "a duration such as 0s, 500ms, 2s";

    // Undertow and XNIO take timeouts as int milliseconds; anything longer would wrap around.
    private static final Duration MAX = Duration.ofHours(596);
    private static final String TOO_LONG = "a duration of at most " + format(MAX);

    private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,18})(ms|s|m|h)");
    private static final Pattern ZERO = Pattern.compile("0{1,18}(ms|s|m|h)");

    private Durations() {
    }

    static ValueType<Duration> type() {
        return node -> node instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.STRING
                ? check(s.text())
                : ValueType.Checked.rejected(EXPECTED);
    }

    /** Like {@link #type()}, but zero (with a unit, {@code 0s}) is allowed too. */
    static ValueType<Duration> typeOrZero() {
        ValueType<Duration> positive = type();
        return node -> {
            if (node instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.STRING
                    && ZERO.matcher(s.text()).matches()) {
                return ValueType.Checked.ok(Duration.ZERO);
            }
            ValueType.Checked<Duration> checked = positive.check(node);
            return checked.ok() || !EXPECTED.equals(checked.expected())
                    ? checked : ValueType.Checked.rejected(EXPECTED_OR_ZERO);
        };
    }

    private static ValueType.Checked<Duration> check(String text) {
        Duration duration = parse(text);
        if (duration == null) {
            return ValueType.Checked.rejected(EXPECTED);
        }
        return duration.compareTo(MAX) > 0 ? ValueType.Checked.rejected(TOO_LONG) : ValueType.Checked.ok(duration);
    }

    /** The duration, or {@code null} when the text is not a positive duration. */
    static Duration parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long amount = Long.parseLong(m.group(1));
        if (amount == 0) {
            return null;
        }
        try {
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** The duration in the largest unit that states it exactly, as a user would write it. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
