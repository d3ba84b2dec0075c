package io.gridgate.node.cache;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Headers written compactly for tables: {@code "Cache-Control: max-age=60 | Age: 5"}. */
final class TestHeaders {

    /** A fixed "now": 2023-11-14T22:13:20Z. */
    static final long NOW = 1_700_000_000_000L;

    private TestHeaders() {
    }

    static Headers parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return Headers.empty();
        }
        List<String> pairs = new ArrayList<>();
        for (String field : spec.split("\\|")) {
            int colon = field.indexOf(':');
            pairs.add(field.substring(0, colon).trim());
            pairs.add(field.substring(colon + 1).trim());
        }
        return Headers.of(pairs.toArray(String[]::new));
    }

    /** The IMF-fixdate of {@code NOW + offsetSeconds}. */
    static String date(long offsetSeconds) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochMilli(NOW + offsetSeconds * 1000).atZone(ZoneOffset.UTC));
    }
}
