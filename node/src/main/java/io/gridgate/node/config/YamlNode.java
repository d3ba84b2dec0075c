package io.gridgate.node.config;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.util.List;
import java.util.Optional;

/**
 * A parsed YAML value that remembers where it was written, so that every error can point at its line
 * and column. Scalars keep the text exactly as written (a version key {@code 1.10} stays {@code 1.10}).
 */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

    int line();

    int column();

    /** The node as an error message shows it: JSON-like, with collections abbreviated. */
    String render();

    /** A leaf value. */
    record Scalar(String text, Type type, int line, int column) implements YamlNode {

        /** The YAML 1.2 core-schema type the parser resolved, plus what this loader refuses. */
        enum Type { STRING, INTEGER, FLOAT, TRUE, FALSE, NULL, ALIAS, OTHER }

        /**
         * A scalar for an environment variable, typed as YAML would type the same plain text, so that
         * an override goes through the same checks as the file value it replaces.
         */
        static Scalar plain(String text) {
            Type type = text.matches("[-+]?[0-9]+") ? Type.INTEGER
                    : "true".equals(text) ? Type.TRUE
                    : "false".equals(text) ? Type.FALSE
                    : Type.STRING;
            return new Scalar(text, type, 0, 0);
        }

        boolean isNull() {
            return type == Type.NULL;
        }

        /** Whether the text is usable where a string is expected; numbers and booleans count as written. */
        boolean isText() {
            return type != Type.NULL && type != Type.ALIAS && type != Type.OTHER;
        }

        @Override
        public String render() {
            return switch (type) {
                case INTEGER, FLOAT -> text;
                case TRUE -> "true";
                case FALSE -> "false";
                case NULL -> "null";
                case ALIAS -> "*" + text;
                case STRING, OTHER -> quote(text);
            };
        }
    }

    /** A mapping whose keys are unique (the reader reports and drops repeated keys). */
    record Mapping(List<Entry> entries, int line, int column) implements YamlNode {

        public Mapping {
            entries = List.copyOf(entries);
        }

        Optional<Entry> get(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).findFirst();
        }

        @Override
        public String render() {
            return entries.isEmpty() ? "{}" : "{...}";
        }
    }

    /** One key of a mapping, positioned at the key itself. */
    record Entry(String key, int line, int column, YamlNode value) {
    }

    /** A sequence. */
    record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {

        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String render() {
            return items.isEmpty() ? "[]" : "[...]";
        }
    }

    /** Long values are cut, since an error line that scrolls off the screen explains nothing. */
    static String quote(String text) {
        int max = 100;
        if (text.length() > max && Character.isHighSurrogate(text.charAt(max - 1))) {
            max--;
        }
        String shown = text.length() > max ? text.substring(0, max) + "..." : text;
        // Jackson's encoder escapes quotes, backslashes and control characters as JSON does.
        StringBuilder out = new StringBuilder(shown.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(shown, out);
        return out.append('"').toString();
    }

    /** Escapes a key for use as one JSON pointer token (RFC 6901). */
    static String pointerToken(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
