package io.gridgate.node.cache;

import java.util.ArrayList;
import java.util.List;

/** Splits comma-separated header lists (RFC 9110 §5.6.1), leaving commas inside quoted strings alone. */
final class HeaderLists {

    private HeaderLists() {
    }

    /** The trimmed, non-empty elements of every field line, in order. */
    static List<String> elements(List<String> fieldLines) {
        List<String> elements = new ArrayList<>();
        for (String line : fieldLines) {
            split(line, elements);
        }
        return elements;
    }

    private static void split(String line, List<String> into) {
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                add(line.substring(start, i), into);
                start = i + 1;
            }
        }
        add(line.substring(start), into);
    }

    private static void add(String element, List<String> into) {
        String trimmed = element.trim();
        if (!trimmed.isEmpty()) {
            into.add(trimmed);
        }
    }

    /**
     * A delta-seconds value (RFC 9111 §1.2.2): its seconds, capped at 2^31 when larger; -1 when it
     * is not a non-negative integer.
     */
    static long deltaSeconds(String value) {
        if (value == null || value.isEmpty()) {
            return -1;
        }
        long seconds = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            seconds = Math.min(seconds * 10 + (c - '0'), MAX_DELTA_SECONDS);
        }
        return seconds;
    }

    static final long MAX_DELTA_SECONDS = 1L << 31;
}
