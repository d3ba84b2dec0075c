package io.gridgate.node.accesslog;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.time.Instant;
import java.time.ZoneOffset;
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

    /** The I/O thread's last formatted second: lines come many per second, and formatting a date is not cheap. */
    private static final ThreadLocal<long[]> LAST_SECOND = ThreadLocal.withInitial(() -> new long[] {Long.MIN_VALUE});
    private static final ThreadLocal<String[]> LAST_SECOND_TEXT = ThreadLocal.withInitial(() -> new String[1]);
    private static final DateTimeFormatter TO_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /** ISO 8601 in UTC with milliseconds, e.g. {@code 2026-11-26T15:11:59.376Z}. */
    AccessLine time(long epochMillis) {
        key("time");
        long second = Math.floorDiv(epochMillis, 1000);
        long[] last = LAST_SECOND.get();
        String[] text = LAST_SECOND_TEXT.get();
        if (last[0] != second) {
            last[0] = second;
            text[0] = TO_SECONDS.format(Instant.ofEpochSecond(second));
        }
        int millis = (int) Math.floorMod(epochMillis, 1000);
        out.append('"').append(text[0]).append('.');
        if (millis < 100) {
            out.append(millis < 10 ? "00" : "0");
        }
        out.append(millis).append("Z\"");
        return this;
    }

    AccessLine text(String key, CharSequence value) {
        key(key);
        if (value == null) {
            out.append("null");
        } else {
            out.append('"');
            if (isPlain(value)) {
                out.append(value); // ids, methods, addresses: nothing to escape, so no encoder call
            } else {
                JsonStringEncoder.getInstance().quoteAsString(value, out);
            }
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

    /** Printable ASCII without a quote or a backslash: written as it is. */
    private static boolean isPlain(CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
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
