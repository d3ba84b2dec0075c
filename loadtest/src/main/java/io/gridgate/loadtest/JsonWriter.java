package io.gridgate.loadtest;

/**
 * A minimal streaming JSON writer for the results file; the module stays free of a JSON library for one flat
 * document. Callers keep the nesting balanced; commas are placed here.
 */
final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    private boolean needsComma;
    private boolean afterName;
    private int depth;

    JsonWriter beginObject() {
        return open('{');
    }

    JsonWriter endObject() {
        return close('}');
    }

    JsonWriter beginArray() {
        return open('[');
    }

    JsonWriter endArray() {
        return close(']');
    }

    /** Writes {@code "name":}; the next call writes its value. */
    JsonWriter name(String name) {
        separate();
        string(name);
        out.append(": ");
        afterName = true;
        return this;
    }

    JsonWriter value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        needsComma = true;
        return this;
    }

    /** NaN and infinities, which JSON cannot hold, are written as null ("not measured"). */
    JsonWriter value(double value) {
        separate();
        if (Double.isFinite(value)) {
            out.append(value == Math.rint(value) && Math.abs(value) < 1e15
                    ? Long.toString((long) value)
                    : String.format(java.util.Locale.ROOT, "%.3f", value));
        } else {
            out.append("null");
        }
        needsComma = true;
        return this;
    }

    JsonWriter value(long value) {
        separate();
        out.append(value);
        needsComma = true;
        return this;
    }

    /** A number with all its digits, for a setting that {@link #value(double)}'s three decimals would round off. */
    JsonWriter value(java.math.BigDecimal value) {
        separate();
        out.append(value.stripTrailingZeros().toPlainString());
        needsComma = true;
        return this;
    }

    JsonWriter value(boolean value) {
        separate();
        out.append(value);
        needsComma = true;
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private JsonWriter open(char bracket) {
        separate();
        out.append(bracket);
        depth++;
        needsComma = false;
        return this;
    }

    private JsonWriter close(char bracket) {
        depth--;
        if (needsComma) {
            newline();
        }
        out.append(bracket);
        needsComma = true;
        return this;
    }

    private void separate() {
        if (afterName) {
            afterName = false; // the value goes on the name's line
            return;
        }
        if (needsComma) {
            out.append(',');
        }
        if (depth > 0) {
            newline();
        }
    }

    private void newline() {
        out.append('\n').append("  ".repeat(depth));
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
