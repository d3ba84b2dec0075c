package io.gridgate.node.accesslog;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * One access-log line, written field by field into a {@link StringBuilder} as a JSON object: no
 * reflection, no intermediate tree. Every line has every key, {@code null} when the exchange had no
 * such value, so log tools see one schema.
 */
final class AccessLine {

    private final StringBuilder out = new StringBuilder(384);
    private boolean first = true;

    AccessLine() {
        out.append('{');
    }

    AccessLine time(long epochMillis) {
        key("time");
        out.append('"');
        DateTimeFormatter.ISO_INSTANT.formatTo(Instant.ofEpochMilli(epochMillis), out);
        out.append('"');
        return this;
    }

    AccessLine text(String key, CharSequence value) {
        key(key);
        if (value == null) {
            out.append("null");
        } else {
            out.append('"');
            JsonStringEncoder.getInstance().quoteAsString(value, out);
            out.append('"');
        }
        return this;
    }

    AccessLine number(String key, long value) {
        key(key);
        out.append(value);
        return this;
    }

    /** A count that may be unknown: negative means {@code null}. */
    AccessLine count(String key, long value) {
        key(key);
        if (value < 0) {
            out.append("null");
        } else {
            out.append(value);
        }
        return this;
    }

    /** Nanoseconds as milliseconds with three decimals ({@code 12.345}); negative means {@code null}. */
    AccessLine millis(String key, long nanos) {
        key(key);
        if (nanos < 0) {
            out.append("null");
            return this;
        }
        long micros = nanos / 1_000;
        long fraction = micros % 1_000;
        out.append(micros / 1_000).append('.');
        if (fraction < 100) {
            out.append(fraction < 10 ? "00" : "0");
        }
        out.append(fraction);
        return this;
    }

    private void key(String key) {
        if (!first) {
            out.append(',');
        }
        first = false;
        out.append('"').append(key).append("\":");
    }

    String end() {
        return out.append('}').toString();
    }
}
