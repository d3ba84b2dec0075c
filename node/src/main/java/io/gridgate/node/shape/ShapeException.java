package io.gridgate.node.shape;

/**
 * A rule that cannot be compiled, with the rule, its value and what was expected, for example
 * {@code include[2]: "/items/**" (expected: ...)}. The rule is the section and the entry's
 * position in it ({@code include[2]}, {@code defaults[0]}); a rename names the side at fault
 * ({@code rename[1].from}, {@code rename[1].to}) or, when the two sides disagree, the entry.
 */
public final class ShapeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String rule;
    private final String value;
    private final String expected;

    ShapeException(String rule, String value, String expected) {
        super(rule + ": " + value + " (expected: " + expected + ")");
        this.rule = rule;
        this.value = value;
        this.expected = expected;
    }

    /** A path as it appears in a message: a JSON string. */
    static String quoted(String path) {
        StringBuilder out = new StringBuilder(path.length() + 2).append('"');
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Which entry is at fault, such as {@code include[2]} or {@code rename[0].to}. */
    public String rule() {
        return rule;
    }

    /** The value as written, quoted when it is a path. */
    public String value() {
        return value;
    }

    /** What would have been accepted. */
    public String expected() {
        return expected;
    }
}
