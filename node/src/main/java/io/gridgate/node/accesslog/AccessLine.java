package io.gridgate.node.accesslog;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * One access-log line, written field by field as the UTF-8 bytes of a JSON object and its newline: no
 * reflection, no intermediate tree, no string to encode again on the writer's thread. Every line has
 * every key, {@code null} when the exchange had no such value, so log tools see one schema.
 */
final class AccessLine {

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private byte[] out = new byte[384];
    private int length;
    private boolean first = true;

    AccessLine() {
        out[length++] = '{';
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
        append('"');
        appendAscii(text[0]);
        append('.');
        appendPadded(millis);
        append('Z');
        append('"');
        return this;
    }

    AccessLine text(String key, CharSequence value) {
        key(key);
        if (value == null) {
            append(NULL);
            return this;
        }
        append('"');
        int start = length;
        ensure(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                // Rare (ids, methods and addresses are plain): start again with the encoder.
                length = start;
                append(JsonStringEncoder.getInstance().quoteAsUTF8(value.toString()));
                break;
            }
            out[length++] = (byte) c;
        }
        append('"');
        return this;
    }

    AccessLine number(String key, long value) {
        key(key);
        appendNumber(value);
        return this;
    }

    /** A count that may be unknown: negative means {@code null}. */
    AccessLine count(String key, long value) {
        key(key);
        if (value < 0) {
            append(NULL);
        } else {
            appendNumber(value);
        }
        return this;
    }

    /** Nanoseconds as milliseconds with three decimals ({@code 12.345}); negative means {@code null}. */
    AccessLine millis(String key, long nanos) {
        key(key);
        if (nanos < 0) {
            append(NULL);
            return this;
        }
        long micros = nanos / 1_000;
        appendNumber(micros / 1_000);
        append('.');
        appendPadded((int) (micros % 1_000));
        return this;
    }

    /** The line's bytes, newline included. */
    byte[] end() {
        append('}');
        append('\n');
        return Arrays.copyOf(out, length);
    }

    private void key(String key) {
        if (!first) {
            append(',');
        }
        first = false;
        append('"');
        appendAscii(key);
        append('"');
        append(':');
    }

    /** Three digits, zero-padded: the fraction of a second or of a millisecond. */
    private void appendPadded(int value) {
        ensure(3);
        out[length++] = (byte) ('0' + value / 100);
        out[length++] = (byte) ('0' + value / 10 % 10);
        out[length++] = (byte) ('0' + value % 10);
    }

    private void appendNumber(long value) {
        if (value < 0) {
            append('-');
            if (value == Long.MIN_VALUE) {
                appendAscii(Long.toString(value).substring(1));
                return;
            }
            value = -value;
        }
        ensure(19);
        int end = length + digits(value);
        for (int i = end - 1; i >= length; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length = end;
    }

    private static int digits(long value) {
        int digits = 1;
        for (long bound = 10; value >= bound && digits < 19; bound *= 10) {
            digits++;
        }
        return digits;
    }

    /** Keys, the formatted time and digits: known to be ASCII. */
    private void appendAscii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            out[length++] = (byte) text.charAt(i);
        }
    }

    private void append(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, out, length, bytes.length);
        length += bytes.length;
    }

    private void append(char c) {
        ensure(1);
        out[length++] = (byte) c;
    }

    private void ensure(int more) {
        if (length + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, length + more));
        }
    }
}
