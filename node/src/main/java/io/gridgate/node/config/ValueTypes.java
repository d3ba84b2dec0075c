package io.gridgate.node.config;

import io.gridgate.node.config.ValueType.Checked;
import io.gridgate.node.config.YamlNode.Scalar;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/** The general value types: numbers, byte sizes, booleans, words, patterns and instants. */
final class ValueTypes {

    static final String INSTANT = "an ISO-8601 instant such as 2027-01-01T00:00:00Z";

    // RFC 9110 token: what a method or header name may be made of.
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]{1,10}");
    private static final Pattern BYTE_SIZE = Pattern.compile("([0-9]{1,10})(B|KiB|MiB|GiB)");
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final long GIB = 1024 * MIB;

    private ValueTypes() {
    }

    /**
     * A YAML integer written in decimal. A quoted {@code "8080"} is a string and refused, as the error
     * shows by printing it in quotes.
     */
    static ValueType<Integer> integer(int min, int max) {
        String expected = "an integer from " + min + " to " + max;
        return node -> {
            if (node instanceof Scalar s && s.type() == Scalar.Type.INTEGER && DECIMAL.matcher(s.text()).matches()) {
                long value = Long.parseLong(s.text());
                if (value >= min && value <= max) {
                    return Checked.ok((int) value);
                }
            }
            return Checked.rejected(expected);
        };
    }

    /**
     * A number of bytes: a plain integer, or a whole number with the unit B, KiB, MiB or GiB. Decimal
     * units (KB, MB) are refused, since whether they meant 1000 or 1024 is anyone's guess.
     */
    static ValueType<Long> byteSize(long max) {
        String expected = "a byte size from 0 to " + formatBytes(max) + ", such as 65536, 64KiB or 1MiB";
        return node -> {
            Long bytes = node instanceof Scalar s ? bytes(s) : null;
            return bytes != null && bytes <= max ? Checked.ok(bytes) : Checked.rejected(expected);
        };
    }

    private static Long bytes(Scalar s) {
        if (s.type() == Scalar.Type.INTEGER) {
            return DECIMAL.matcher(s.text()).matches() && !s.text().startsWith("-") ? Long.parseLong(s.text()) : null;
        }
        Matcher m = BYTE_SIZE.matcher(s.text());
        if (s.type() != Scalar.Type.STRING || !m.matches()) {
            return null;
        }
        long unit = switch (m.group(2)) {
            case "KiB" -> KIB;
            case "MiB" -> MIB;
            case "GiB" -> GIB;
            default -> 1;
        };
        // Ten digits of GiB overflow a long; such a size is over every bound anyway.
        long amount = Long.parseLong(m.group(1));
        return amount > Long.MAX_VALUE / unit ? null : amount * unit;
    }

    /** The size in the largest unit that states it exactly. */
    static String formatBytes(long bytes) {
        if (bytes > 0 && bytes % GIB == 0) {
            return bytes / GIB + "GiB";
        }
        if (bytes > 0 && bytes % MIB == 0) {
            return bytes / MIB + "MiB";
        }
        return bytes > 0 && bytes % KIB == 0 ? bytes / KIB + "KiB" : bytes + "B";
    }

    static ValueType<Integer> port() {
        return integer(0, 65535);
    }

    static ValueType<Boolean> bool() {
        return node -> node instanceof Scalar s && (s.type() == Scalar.Type.TRUE || s.type() == Scalar.Type.FALSE)
                ? Checked.ok(s.type() == Scalar.Type.TRUE)
                : Checked.rejected("true or false");
    }

    /** Any non-null scalar's text. */
    static ValueType<String> anyText(String expected) {
        return ValueType.text(expected, text -> text);
    }

    static ValueType<String> matching(String regex, String expected) {
        Pattern pattern = Pattern.compile(regex);
        return ValueType.text(expected, text -> pattern.matcher(text).matches() ? text : null);
    }

    /** An HTTP token (method or header name), passed through {@code normalize}. */
    static ValueType<String> token(String expected, UnaryOperator<String> normalize) {
        return ValueType.text(expected, text -> TOKEN.matcher(text).matches() ? normalize.apply(text) : null);
    }

    static ValueType<String> upperCaseToken(String expected) {
        return token(expected, text -> text.toUpperCase(Locale.ROOT));
    }

    /** An enum written as its camelCase word: {@code mediaType} for {@code MEDIA_TYPE}. */
    static <E extends Enum<E>> ValueType<E> word(Class<E> type) {
        Map<String, E> byWord = new LinkedHashMap<>();
        for (E constant : type.getEnumConstants()) {
            byWord.put(camelCase(constant.name()), constant);
        }
        String expected = "one of " + String.join(", ", byWord.keySet());
        return node -> node instanceof Scalar s && s.type() == Scalar.Type.STRING && byWord.containsKey(s.text())
                ? Checked.ok(byWord.get(s.text()))
                : Checked.rejected(expected);
    }

    /** One of fixed names, compared without case and returned in upper case (key store types). */
    static ValueType<String> upperCaseName(String... names) {
        String expected = "one of " + String.join(", ", names);
        return ValueType.text(expected, text -> Arrays.stream(names)
                .filter(name -> name.equalsIgnoreCase(text)).findFirst().orElse(null));
    }

    /** Dates come as text: the loader does not let YAML resolve timestamps, so the text is as written. */
    static ValueType<Instant> instant() {
        return ValueType.text(INSTANT, text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        });
    }

    /** A regex that compiles; the error names what the regex engine found wrong. */
    static ValueType<String> regex() {
        String expected = "a regular expression";
        return ValueType.textChecked(text -> {
            try {
                Pattern.compile(text);
                return Checked.ok(text);
            } catch (PatternSyntaxException e) {
                return Checked.rejected("a valid regular expression; " + e.getDescription()
                        + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
            } catch (RuntimeException | StackOverflowError e) {
                return Checked.rejected(expected + " the regex engine can compile");
            }
        }, expected);
    }

    static String camelCase(String constant) {
        String[] words = constant.toLowerCase(Locale.ROOT).split("_");
        return words[0] + Arrays.stream(words, 1, words.length)
                .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1))
                .collect(Collectors.joining());
    }
}
